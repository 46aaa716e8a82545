using Microsoft.AspNetCore.Components.Server.Circuits;

namespace NovaCron.Web.Security;

/// <summary>Where one Blazor circuit's person connects from (<c>ui 203.0.113.7</c>), for operations and audit records.
/// Read once, when the circuit opens, from the connection that carries it: interactive components never touch the
/// HTTP context themselves.</summary>
public sealed class CircuitSource
{
    public string Value { get; private set; } = "ui";

    /// <summary>Fills <see cref="CircuitSource"/> when a circuit opens.</summary>
    public sealed class Recorder(CircuitSource source, IHttpContextAccessor http) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            if (http.HttpContext?.Connection.RemoteIpAddress is { } address)
            {
                source.Value = $"ui {address}";
            }

            return Task.CompletedTask;
        }
    }
}
