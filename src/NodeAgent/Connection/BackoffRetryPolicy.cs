using Microsoft.AspNetCore.SignalR.Client;

namespace NovaCron.NodeAgent.Connection;

/// <summary>Retries forever: 0, 1, 2, 5, 10, then every 30 s, each with up to 20% jitter so a restarted control plane
/// is not hit by every agent at once.</summary>
public sealed class BackoffRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] Delays =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    public static TimeSpan DelayFor(long attempt)
    {
        var delay = Delays[(int)Math.Min(attempt, Delays.Length - 1)];
        return delay + (delay * Random.Shared.NextDouble() * 0.2);
    }

    /// <summary>A refused credential (401/403) ends automatic reconnecting, so the agent's connect loop logs it as
    /// such and keeps retrying with the same backoff.</summary>
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        retryContext.RetryReason is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden }
            ? null
            : DelayFor(retryContext.PreviousRetryCount);
}
