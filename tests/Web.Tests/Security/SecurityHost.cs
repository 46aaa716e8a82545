using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Security;

namespace NovaCron.Web.Tests.Security;

/// <summary>The real authentication wiring (<see cref="AuthenticationSetup"/>) on Kestrel port 0 over a SQLite file,
/// with two probe endpoints: <c>/api/v1/whoami</c> (any signed-in caller) and <c>/probe/sign-in</c> (the sign-in rate limit).</summary>
internal sealed class SecurityHost : IAsyncDisposable
{
    private readonly string _directory;

    private SecurityHost(WebApplication app, string directory, ManualClock clock)
    {
        App = app;
        _directory = directory;
        Clock = clock;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public ManualClock Clock { get; }

    public HttpClient Client { get; }

    public static async Task<SecurityHost> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "novacron-security-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(Options.Create(new NovaCronOptions { DataDirectory = directory }));
        builder.Services.AddNovaCronPersistence(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(directory, "novacron.db")};Pooling=False" }, directory);
        builder.Services.AddProblemDetails();
        builder.AddNovaCronAuthentication();

        var app = builder.Build();
        await app.Services.MigrateNovaCronDatabaseAsync(CancellationToken.None);
        app.UseNovaCronAuthentication();
        app.MapGet("/api/v1/whoami", (HttpContext http) => TypedResults.Text(http.User.Identity!.Name!));
        app.MapPost("/probe/sign-in", () => TypedResults.Text("ok")).AllowAnonymous().RequireRateLimiting(AuthenticationSetup.SignInRateLimit);
        await app.StartAsync();
        return new SecurityHost(app, directory, clock);
    }

    public async Task<NovaCronUser> CreateUserAsync(string userName, string password = "correct horse battery")
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        var user = new NovaCronUser { UserName = userName, DisplayName = userName, CreatedAt = Clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        return user;
    }

    public async Task<(ApiToken Token, string Secret)> IssueTokenAsync(Guid userId, TimeSpan lifetime)
    {
        var now = Clock.GetUtcNow();
        var issued = ApiToken.Issue(userId, "test", now + lifetime, null, UserAccess.None, now);
        Assert.True(issued.IsSuccess);
        await using var db = await App.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<NovaCronDbContext>>().CreateDbContextAsync();
        db.ApiTokens.Add(issued.Value.Token);
        await db.SaveChangesAsync();
        return issued.Value;
    }

    public async Task ChangeAsync(Func<NovaCronDbContext, Task> change)
    {
        await using var db = await App.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<NovaCronDbContext>>().CreateDbContextAsync();
        await change(db);
        await db.SaveChangesAsync();
    }

    public Task<HttpResponseMessage> WhoAmIAsync(string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/whoami");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still closing; the temp directory is cleaned up by the OS.
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
