using Bunit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using NovaCron.Domain.Images;
using NovaCron.Domain.Nodes;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Features.Images;
using NovaCron.Web.Features.Nodes;
using NovaCron.Web.Features.Operations;
using NovaCron.Web.Features.Vms;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Features.Vms.VmActions;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Tests.Support;

/// <summary>A bUnit context wired like the control plane: MudBlazor, the real feed, queries and handlers over a SQLite
/// database in a temporary file, seeded with one online node and a default image. Agents are not connected, so commands
/// wait as they would for an offline node.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly string _directory;

    private TestCluster(BunitContext context, string directory, Node node, Image image)
    {
        Context = context;
        _directory = directory;
        Node = node;
        Image = image;
    }

    public BunitContext Context { get; }

    public Node Node { get; }

    public Image Image { get; }

    public ClusterStateFeed Feed => Service<ClusterStateFeed>();

    public IDbContextFactory<NovaCronDbContext> Db => Service<IDbContextFactory<NovaCronDbContext>>();

    /// <param name="configure">Adds services before the container is built (Identity, a signed-in user).</param>
    public static async Task<TestCluster> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "novacron-web-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var services = context.Services;
        services.AddMudServices();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new NovaCronOptions { DataDirectory = directory }));
        services.AddNovaCronPersistence(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(directory, "novacron.db")};Pooling=False" }, directory);
        services.AddNovaCronFeatures();
        services.AddSingleton<IHubContext<AgentHub>, FakeHubContext<AgentHub>>();
        configure?.Invoke(services);

        await services.MigrateNovaCronDatabaseAsync(CancellationToken.None);

        var now = DateTimeOffset.UtcNow;
        var node = Node.Register("node-a", "10.0.0.1", new Capacity(16, 32 * 1024, 500), "1.0.0", "tcg", now).Value!;
        var image = Image.RegisterKernel("test-guest", "/images/vmlinuz", "/images/initrd.img", "console=ttyS0", now).Value!;
        image.MarkDefault(true);
        var factory = services.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Nodes.Add(node);
            db.Images.Add(image);
            await db.SaveChangesAsync();
        }

        return new TestCluster(context, directory, node, image);
    }

    public T Service<T>()
        where T : notnull => Context.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the temp directory is cleaned by the OS eventually.
        }
    }
}
