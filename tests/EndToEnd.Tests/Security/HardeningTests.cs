using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary>The hardening a browser and an API client meet on the real server: security headers, antiforgery on the
/// sign-in form, the sign-in rate limit on the real page, and the audit export for a global Auditor.</summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync(withAgent: false);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("/account/login", false)]
    [InlineData("/api/v1/nodes", true)]
    public async Task Response_PageOrApi_CarriesSecurityHeaders(string path, bool api)
    {
        var response = await (api ? _stack.Api : _stack.Anonymous).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Anonymous_LinksAnIconServedFromItsOwnOrigin()
    {
        var page = await _stack.Anonymous.GetStringAsync("/account/login");

        var link = Regex.Match(page, "<link rel=\"icon\"[^>]* href=\"(?<href>[^\"]+)\"");
        Assert.True(link.Success, "The page links no icon, so browsers ask for /favicon.ico and get 404.");
        var href = link.Groups["href"].Value;
        // The Content-Security-Policy allows images from 'self' only (and data: URIs).
        Assert.DoesNotContain("//", href, StringComparison.Ordinal);
        var icon = await _stack.Anonymous.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DataProtectionKeys_AfterAPageIsServed_PersistInAPrivateFolderOfTheDataDirectory()
    {
        Assert.Equal(HttpStatusCode.OK, (await _stack.Anonymous.GetAsync("/account/login")).StatusCode);

        var keys = Path.Combine(_stack.DataDirectory, "keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        }
    }

    [Fact]
    public async Task SignInForm_PostedWithoutAntiforgeryToken_RefusedAndNobodySignedIn()
    {
        var response = await PostSignInAsync(_stack.AdminPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.False(await _stack.InDbAsync(db => db.AuditRecords.AnyAsync(r => r.Action == "account.sign-in" && r.Result == AuditResult.Succeeded)));
    }

    [Fact]
    public async Task SignInForm_WrongPassword_IsNotSentBackInThePage()
    {
        const string Guess = "guessed-Passw0rd-42";
        var form = await _stack.Anonymous.GetStringAsync("/account/login");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(antiforgery);

        var response = await PostSignInAsync(Guess, antiforgery);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The user name or the password is wrong.", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Guess, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_EleventhPostWithinAMinute_Answers429()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add((await PostSignInAsync("wrong-password")).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..10]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.Equal(HttpStatusCode.OK, (await _stack.Anonymous.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task AuditExport_AsGlobalAuditor_CsvAndJsonHoldTheRecordsWhileAViewerIsRefused()
    {
        Assert.Equal(HttpStatusCode.Created, (await _stack.Api.PostAsJsonAsync("/api/v1/projects", new { name = "exported" }, NovaCronStack.Json)).StatusCode);
        var auditor = await _stack.ClientForNewUserAsync("audra", Role.BuiltIn.Single(r => r.Name == Role.Auditor).Id, []);
        var viewer = await _stack.ClientForNewUserAsync("vic", Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id, []);

        var csv = await auditor.GetAsync("/api/v1/audit?format=csv");
        var json = await auditor.GetAsync("/api/v1/audit?format=json");
        var refused = await viewer.GetAsync("/api/v1/audit?format=csv");

        Assert.Equal(("text/csv", "application/json"), (csv.Content.Headers.ContentType?.MediaType, json.Content.Headers.ContentType?.MediaType));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,at,actor,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("project.create", StringComparison.Ordinal) && l.Contains("exported", StringComparison.Ordinal));
        var records = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("action").GetString() == "project.create" && r.GetProperty("targetName").GetString() == "exported");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> PostSignInAsync(string password, string? antiforgery = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = NovaCronStack.AdminUserName,
            ["Input.Password"] = password,
        };
        if (antiforgery is not null)
        {
            fields["__RequestVerificationToken"] = antiforgery;
        }

        return await _stack.Anonymous.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

}
