using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Web.Tests.Security;

public sealed class ApiTokenAuthenticationTests : IAsyncLifetime
{
    private SecurityHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await SecurityHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Authenticate_ValidToken_ActsAsOwnerAndRecordsUse()
    {
        var user = await _host.CreateUserAsync("alice");
        var (token, secret) = await _host.IssueTokenAsync(user.Id, TimeSpan.FromDays(1));

        var response = await _host.WhoAmIAsync(secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await _host.ChangeAsync(async db => Assert.NotNull((await db.ApiTokens.SingleAsync(t => t.Id == token.Id, TestContext.Current.CancellationToken)).LastUsedAt));
    }

    [Fact]
    public async Task Authenticate_ExpiredToken_Answers401ProblemNamingExpiry()
    {
        var user = await _host.CreateUserAsync("bob");
        var (_, secret) = await _host.IssueTokenAsync(user.Id, TimeSpan.FromHours(1));
        _host.Clock.Advance(TimeSpan.FromHours(2));

        var problem = await Assert401Async(await _host.WhoAmIAsync(secret));

        Assert.Contains("expired", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_RevokedToken_Answers401ProblemNamingRevocation()
    {
        var user = await _host.CreateUserAsync("carol");
        var (token, secret) = await _host.IssueTokenAsync(user.Id, TimeSpan.FromDays(1));
        // Used once first: what authentication keeps in memory must not outlive the revocation.
        Assert.Equal(HttpStatusCode.OK, (await _host.WhoAmIAsync(secret)).StatusCode);
        await _host.ChangeAsync(async db => (await db.ApiTokens.SingleAsync(t => t.Id == token.Id)).Revoke(_host.Clock.GetUtcNow()));

        var problem = await Assert401Async(await _host.WhoAmIAsync(secret));

        Assert.Contains("revoked", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_UnknownToken_Answers401Problem()
    {
        var problem = await Assert401Async(await _host.WhoAmIAsync("nct_0123456789ab_not-a-real-secret"));

        Assert.Contains("not known", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_DisabledOwner_Answers401Problem()
    {
        var user = await _host.CreateUserAsync("dave");
        var (_, secret) = await _host.IssueTokenAsync(user.Id, TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await _host.WhoAmIAsync(secret)).StatusCode);
        await _host.ChangeAsync(async db => (await db.Users.SingleAsync(u => u.Id == user.Id)).DisabledAt = _host.Clock.GetUtcNow());

        var problem = await Assert401Async(await _host.WhoAmIAsync(secret));

        Assert.Contains("disabled", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_NoCredentials_Answers401ProblemNotRedirect()
    {
        var problem = await Assert401Async(await _host.WhoAmIAsync(null));

        Assert.Equal("Sign in or send an API token.", problem.Title);
    }

    [Fact]
    public async Task PasswordSignIn_FiveWrongPasswords_LocksAccountEvenForRightPassword()
    {
        var user = await _host.CreateUserAsync("erin", "the right password");
        await using var scope = _host.App.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<NovaCronUser>>();
        var stored = (await signIn.UserManager.FindByIdAsync(user.Id.ToString()))!;

        for (var i = 0; i < 5; i++)
        {
            Assert.False((await signIn.CheckPasswordSignInAsync(stored, "a wrong password", lockoutOnFailure: true)).Succeeded);
        }

        var result = await signIn.CheckPasswordSignInAsync(stored, "the right password", lockoutOnFailure: true);
        Assert.True(result.IsLockedOut);
        var lockoutEnd = await signIn.UserManager.GetLockoutEndDateAsync(stored);
        Assert.InRange(lockoutEnd!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(16));
    }

    [Fact]
    public async Task SignInRateLimit_EleventhPostInAMinute_Answers429()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _host.Client.PostAsync("/probe/sign-in", null, TestContext.Current.CancellationToken)).StatusCode);
        }

        var refused = await _host.Client.PostAsync("/probe/sign-in", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static async Task<ProblemDetails> Assert401Async(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken))!;
    }
}
