using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace NovaCron.Web.Features.Agents;

/// <summary>Authentication scheme of <c>/hubs/agents</c>: a refused token answers 401 before the connection is
/// upgraded, so the agent sees the refusal in its connect call and backs off.</summary>
public sealed partial class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AgentAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Agent";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (grant, refusal) = await authenticator.AuthenticateAsync(AgentAuthenticator.BearerToken(Context), Context.RequestAborted);
        if (grant is null)
        {
            LogRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal ?? "refused");
            Context.Items[Security.AuthenticationFailure.ItemKey] = $"The agent token was refused: {refusal}.";
            return AuthenticateResult.Fail(refusal ?? "refused");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(grant.ToPrincipal(SchemeName), SchemeName));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent connection from {Address}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string address, string reason);
}
