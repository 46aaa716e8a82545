using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using NovaCron.Domain.Agents;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Api;
using NovaCron.Web.Components;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Admin;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Features.Images;
using NovaCron.Web.Features.Nodes;
using NovaCron.Web.Features.Operations;
using NovaCron.Web.Features.Vms;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Features.Vms.VmActions;
using NovaCron.Web.Realtime;
using NovaCron.Web.Security;
using Serilog;

namespace NovaCron.Web;

/// <summary>The control plane's table of contents: what it is made of and how requests reach it.</summary>
public static class ControlPlaneSetup
{
    public static IHostApplicationBuilder AddNovaCronControlPlane(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext().WriteTo.Console());

        builder.Services.AddOptions<NovaCronOptions>().Bind(builder.Configuration.GetSection(NovaCronOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AgentAuthOptions>().Bind(builder.Configuration.GetSection(AgentAuthOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentAuthOptions>, AgentAuthOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);

        var dataDirectory = builder.Configuration[$"{NovaCronOptions.SectionName}:{nameof(NovaCronOptions.DataDirectory)}"] ?? NovaCronOptions.DefaultDataDirectory();
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddNovaCronPersistence(database, dataDirectory);
        // Keys that protect sign-in cookies and antiforgery tokens survive restarts and container rebuilds, so a
        // restart does not sign everybody out; the folder is readable by the server's user only.
        builder.Services.AddDataProtection()
            .SetApplicationName("NovaCron")
            .PersistKeysToFileSystem(PrivateDirectory(Path.Combine(dataDirectory, "keys")));

        builder.Services.AddNovaCronFeatures();
        builder.Services.AddHostedService<OperationSupervisor>();
        builder.Services.AddHostedService<EventsHubForwarder>();
        builder.Services.AddSingleton<EventsHubSessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventsHubSessions>());

        var signalR = builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        if (builder.Configuration["Redis:ConnectionString"] is { Length: > 0 } redis)
        {
            // Lets /hubs/events clients connected to any control-plane instance receive every event.
            signalR.AddStackExchangeRedis(redis);
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RequestProblemHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            // A number written as a string ("vCpus": "2") is a client bug worth reporting, not guessing around.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        builder.Services.AddOpenApi();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // The security headers set X-Frame-Options: DENY on every response; antiforgery would add a second, conflicting one.
        builder.Services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        builder.Services.AddMudServices();
        builder.AddNovaCronAuthentication();
        return builder;
    }

    /// <summary>The use cases and the live feed: handlers, queries, the agent hub's collaborators. Tests wire the same.</summary>
    public static IServiceCollection AddNovaCronFeatures(this IServiceCollection services)
    {
        services.AddSingleton<ClusterStateFeed>();
        services.AddSingleton<AgentConnections>();
        services.AddSingleton<AgentAuthenticator>();
        services.AddSingleton<EnrollmentService>();
        services.AddSingleton<AgentReportsHandler>();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<PlacementLock>();
        services.AddSingleton<CreateVmHandler>();
        services.AddSingleton<CreatableProjects>();
        services.AddSingleton<Features.Vms.VmOperationLauncher>();
        services.AddSingleton<VmActionHandler>();
        services.AddSingleton<Features.Vms.ResizeVm.ResizeVmHandler>();
        services.AddSingleton<VmQueries>();
        services.AddSingleton<NodeQueries>();
        services.AddSingleton<OperationQueries>();
        services.AddSingleton<ImageCatalog>();
        services.AddSingleton<Features.Audit.AuditLog>();
        services.AddNovaCronAdministration();
        return services;
    }

    /// <summary>Creates the data directory, applies migrations and registers the prepared test guest.</summary>
    public static async Task PrepareNovaCronAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<NovaCronOptions>>().Value;
        Directory.CreateDirectory(options.DataDirectory);
        await app.Services.MigrateNovaCronDatabaseAsync(CancellationToken.None);

        // The database holds password and token hashes: readable by this user only (SQLite gives its -wal and -shm
        // files the database file's mode).
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.EnumerateFiles(options.DataDirectory, "novacron.db*"))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        await app.Services.BootstrapAdministratorAsync(CancellationToken.None);
        await app.Services.GetRequiredService<ImageCatalog>().RegisterTestGuestAsync(CancellationToken.None);
    }

    public static WebApplication MapNovaCron(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNovaCronAuthentication();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();

        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription().AllowAnonymous();
        var api = app.MapGroup("/api/v1");
        api.AddEndpointFilter<Features.Audit.AuditRefusalFilter>();
        // Every API answer other than success is a ProblemDetails document; say so in the OpenAPI description.
        foreach (var status in new[] { 400, 401, 403, 404, 409, 503 })
        {
            api.ProducesProblem(status);
        }

        api.MapVmEndpoints();
        api.MapNodeEndpoints();
        api.MapOperationEndpoints();
        api.MapImageEndpoints();
        api.MapEnrollmentEndpoints();
        api.MapAdministrationEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, "/api/docs").AllowAnonymous();

        // Agents authenticate with enrollment tokens or node credentials: AgentHub's [Authorize] names the Agent scheme.
        app.MapHub<AgentHub>(AgentProtocol.HubPath);
        app.MapHub<EventsHub>(EventsHub.Path);
        // Our own Content-Security-Policy already says frame-ancestors 'none'; Blazor's default adds a second, laxer one.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    private static DirectoryInfo PrivateDirectory(string path)
    {
        var directory = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }
}
