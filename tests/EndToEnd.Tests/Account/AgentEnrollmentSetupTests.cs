using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Testing;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Agents;

namespace NovaCron.EndToEnd.Tests.Account;

/// <summary>Enrollment on control planes set up differently: on each database provider, and without the configuration
/// token. Each test starts its own stack.</summary>
public sealed class AgentEnrollmentSetupTests
{
    private const int Racers = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Enroll_RacingWithOneSingleUseToken_ExactlyOneSucceeds(bool postgres)
    {
        await using var stack = await NovaCronStack.StartAsync(withAgent: false, postgres: postgres);
        await using var agents = new AgentHubClients(stack);
        var token = (await agents.Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("raced", SingleUse: true), Actor.System, Ct)).Value!;
        // Every racer holds a connection the token was still good for, as agents that connected at the same moment do.
        var connections = new List<HubConnection>();
        for (var i = 0; i < Racers; i++)
        {
            connections.Add(await agents.ConnectAsync(token.Secret));
        }

        var outcomes = await Task.WhenAll(connections.Select(async (connection, i) =>
        {
            try
            {
                await connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest($"racer-{i}"), Ct);
                return null;
            }
            catch (HubException refused)
            {
                return refused.Message;
            }
        }));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.OfType<string>(), message => Assert.Contains("already used", message, StringComparison.Ordinal));
        var winner = $"racer-{Array.IndexOf(outcomes, null)}";
        Assert.Equal(winner, (await agents.Enrollment.ListAsync(Ct)).Single(t => t.Id == token.Token.Id).UsedByNode);
        var audit = new List<AuditRecord>();
        for (var i = 0; i < Racers; i++)
        {
            audit.AddRange(await agents.EnrollmentAuditAsync($"racer-{i}"));
        }

        Assert.Equal((1, Racers - 1), (audit.Count(r => r.Result == AuditResult.Succeeded), audit.Count(r => r.Result != AuditResult.Succeeded)));
    }

    [Fact]
    public async Task Enroll_NoConfigurationToken_OnlyAdministratorTokensEnroll()
    {
        await using var stack = await NovaCronStack.StartAsync(withAgent: false, configurationEnrollmentToken: false);
        await using var agents = new AgentHubClients(stack);
        var token = (await agents.Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("only way in"), Actor.System, Ct)).Value!;

        var empty = await Assert.ThrowsAsync<HttpRequestException>(() => agents.ConnectAsync(string.Empty));
        var guessed = await Assert.ThrowsAsync<HttpRequestException>(() => agents.ConnectAsync("0123456789abcdef0123456789abcdef"));
        var credential = await agents.EnrollAsync(token.Secret, "invited");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (empty.StatusCode, guessed.StatusCode));
        Assert.StartsWith("ncn_", credential, StringComparison.Ordinal);
    }
}
