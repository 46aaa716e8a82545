using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using NovaCron.NodeAgent;
using NovaCron.Web.Realtime;

namespace NovaCron.Testing;

/// <summary>The real product on this machine: the control plane on Kestrel (a real port, SQLite in a temp data
/// directory) and a real node agent driving real QEMU with TCG, connected over SignalR like in production.</summary>
public sealed class NovaCronStack : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private WebApplicationFactory<Program>? _web;
    private IHost? _agent;

    private string? _postgresDatabase;

    private NovaCronStack(string dataDirectory, string nodeName, bool configurationEnrollmentToken)
    {
        DataDirectory = dataDirectory;
        NodeName = nodeName;
        ConfigurationEnrollmentToken = configurationEnrollmentToken ? _token : null;
    }

    /// <summary>Server of the PostgreSQL runs; each stack gets its own database on it.</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("NOVACRON_TEST_POSTGRES") is { Length: > 0 } value ? value : "Host=127.0.0.1;Username=novacron;Password=novacron-test;Database=postgres";

    public string DataDirectory { get; }

    /// <summary>An extra folder the control plane accepts user disk images from.</summary>
    public string UserImages => Path.Combine(DataDirectory, "user-images");

    public string NodeName { get; }

    /// <summary>The control plane's <c>Agents:EnrollmentToken</c>, which the stack's agent enrolls with; null when the
    /// stack was started without one.</summary>
    public string? ConfigurationEnrollmentToken { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client authenticated as the first administrator with an API token.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public const string AdminUserName = "admin";

    /// <summary>The first administrator's password, given through <c>Bootstrap:AdminPassword</c> as an operator would.</summary>
    public string AdminPassword { get; } = "Adm1n-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    public IServiceProvider WebServices => _web!.Services;

    /// <summary>Starts the control plane (on PostgreSQL when <paramref name="postgres"/>) and, when
    /// <paramref name="withAgent"/>, a real agent. Without <paramref name="configurationEnrollmentToken"/> the control
    /// plane has no <c>Agents:EnrollmentToken</c>, so only administrator-created tokens enroll; the stack's agent needs it.</summary>
    public static async Task<NovaCronStack> StartAsync(bool withAgent = true, bool postgres = false, bool configurationEnrollmentToken = true)
    {
        if (withAgent && !configurationEnrollmentToken)
        {
            throw new ArgumentException("The stack's agent enrolls with the configuration token.", nameof(configurationEnrollmentToken));
        }

        var images = await TestPaths.EnsureGuestImagesAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "novacron-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDirectory);
        Directory.CreateSymbolicLink(Path.Combine(dataDirectory, "images"), images);
        Directory.CreateDirectory(Path.Combine(dataDirectory, "user-images"));

        var stack = new NovaCronStack(dataDirectory, "node-" + Guid.NewGuid().ToString("N")[..8], configurationEnrollmentToken);
        if (postgres)
        {
            stack._postgresDatabase = "novacron_e2e_" + Guid.NewGuid().ToString("N")[..12];
            await using var admin = new Npgsql.NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {stack._postgresDatabase}", admin);
            await create.ExecuteNonQueryAsync();
        }

        stack.StartControlPlane();
        stack.Api = await stack.ClientWithTokenAsync(await stack.AdminIdAsync(), null, TimeSpan.FromHours(4));
        if (withAgent)
        {
            await stack.StartAgentAsync();
            await stack.WaitForNodeOnlineAsync();
        }

        return stack;
    }

    public async Task StartAgentAsync()
    {
        var builder = NodeAgentHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["Agent:ControlPlaneUrl"] = BaseAddress.ToString().TrimEnd('/'),
            ["Agent:EnrollmentToken"] = _token,
            ["Agent:DataDirectory"] = DataDirectory,
            ["Agent:NodeName"] = NodeName,
            ["Agent:Accelerator"] = "tcg",
            ["Agent:StopGracePeriod"] = "00:00:05",
        });
        _agent = builder.Build();
        await _agent.StartAsync();
    }

    /// <summary>Stops the agent process's host the way a service restart would; guests are not touched.</summary>
    public async Task StopAgentAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
            _agent.Dispose();
            _agent = null;
        }
    }

    public async Task WaitForNodeOnlineAsync() =>
        await Eventually.TrueAsync(
            async () => (await GetAsync<List<NodeView>>("/api/v1/nodes"))!.Any(n => n.Name == NodeName && n.Status == NovaCron.Domain.Nodes.NodeStatus.Online),
            TimeSpan.FromSeconds(60),
            $"node {NodeName} online");

    public async Task<T?> GetAsync<T>(string path) => await Api.GetFromJsonAsync<T>(path, Json);

    public async Task<VmView> GetVmAsync(Guid id) => (await GetAsync<VmDetail>($"/api/v1/vms/{id}"))!.Vm;

    /// <summary>Waits until the VM is in <paramref name="state"/> and no operation owns it any more.</summary>
    public Task<VmView> WaitForVmStateAsync(Guid id, NovaCron.Domain.Vms.VmState state, TimeSpan timeout) =>
        Eventually.GetAsync(async () => (VmView?)await GetVmAsync(id), vm => vm?.State == state && vm.ActiveOperationId is null, timeout, $"VM {id} {state} and idle");

    public async Task<string> ConsoleAsync(Guid vmId)
    {
        var feed = (ClusterStateFeed)WebServices.GetService(typeof(ClusterStateFeed))!;
        return await Task.FromResult(feed.ConsoleTail(vmId));
    }

    public async ValueTask DisposeAsync()
    {
        // Remove every VM this stack made so no qemu process outlives the test.
        try
        {
            var page = await GetAsync<PageOf<VmView>>("/api/v1/vms?limit=500");
            foreach (var vm in page?.Items ?? [])
            {
                await Api.PostAsync($"/api/v1/vms/{vm.Id}/force-stop", null);
                await Api.DeleteAsync($"/api/v1/vms/{vm.Id}");
            }

            if (page?.Items.Count > 0)
            {
                await Eventually.TrueAsync(async () => (await GetAsync<PageOf<VmView>>("/api/v1/vms?limit=500"))!.Items.Count == 0, TimeSpan.FromSeconds(30), "VMs deleted");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException)
        {
            // Best effort: the data directory removal below still takes the disks away.
        }

        await StopAgentAsync();
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        KillLeftoverQemu(DataDirectory);
        if (_postgresDatabase is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var admin = new Npgsql.NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Qemu processes whose command line names this data directory; used to prove nothing is left over.</summary>
    public static IReadOnlyList<int> QemuProcessesUnder(string dataDirectory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (state != 'Z' && cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(dataDirectory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static void KillLeftoverQemu(string dataDirectory)
    {
        foreach (var pid in QemuProcessesUnder(dataDirectory))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private void StartControlPlane()
    {
        _web = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseContentRoot(Path.Combine(TestPaths.RepositoryRoot(), "src", "Web"));
            web.UseSetting("NovaCron:DataDirectory", DataDirectory);
            web.UseSetting("NovaCron:OperationTimeoutSeconds", "60");
            web.UseSetting("NovaCron:HeartbeatIntervalSeconds", "2");
            web.UseSetting("NovaCron:ImageDirectories:0", UserImages);
            if (ConfigurationEnrollmentToken is not null)
            {
                web.UseSetting("Agents:EnrollmentToken", ConfigurationEnrollmentToken);
            }

            web.UseSetting("Bootstrap:AdminUserName", AdminUserName);
            web.UseSetting("Bootstrap:AdminPassword", AdminPassword);
            if (_postgresDatabase is null)
            {
                web.UseSetting("Database:Provider", "sqlite");
            }
            else
            {
                web.UseSetting("Database:Provider", "postgres");
                web.UseSetting("Database:ConnectionString", new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer) { Database = _postgresDatabase }.ConnectionString);
            }
        });
        // An explicit loopback listener on port 0: a free port per stack, so test processes never compete for one.
        _web.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        _web.StartServer();
        using (var probe = _web.CreateClient())
        {
            BaseAddress = probe.BaseAddress!;
        }

        Anonymous = NewClient();
    }

    private HttpClient NewClient() => _web!.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = BaseAddress, AllowAutoRedirect = false });

    /// <summary>Creates a user with a global role and/or project memberships and returns a client that uses an API
    /// token of that user (narrowed to <paramref name="tokenPermissions"/> when given).</summary>
    public async Task<HttpClient> ClientForNewUserAsync(
        string userName,
        RoleId? globalRole,
        IReadOnlyList<(ProjectId Project, RoleId Role)> memberships,
        IReadOnlyList<string>? tokenPermissions = null,
        TimeSpan? tokenLifetime = null)
    {
        var userId = await CreateUserAsync(userName, "Pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)), globalRole, memberships);
        return await ClientWithTokenAsync(userId, tokenPermissions, tokenLifetime ?? TimeSpan.FromHours(2));
    }

    /// <summary>Creates a user who can sign in with <paramref name="password"/>.</summary>
    public async Task<Guid> CreateUserAsync(string userName, string password, RoleId? globalRole, IReadOnlyList<(ProjectId Project, RoleId Role)> memberships)
    {
        using var scope = WebServices.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        var user = new NovaCronUser { UserName = userName, DisplayName = userName, GlobalRoleId = globalRole?.Value, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        var factory = WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        foreach (var (project, role) in memberships)
        {
            db.Memberships.Add(new ProjectMembership(user.Id, project, role));
        }

        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>A client with a fresh API token of an existing user.</summary>
    public async Task<HttpClient> ClientWithTokenAsync(Guid userId, IReadOnlyList<string>? tokenPermissions, TimeSpan lifetime)
    {
        var factory = WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var everything = new UserAccess(userId, "test", Permissions.All.Select(p => p.Name), []);
        var now = DateTimeOffset.UtcNow;
        // An already expired token is made valid and then moved into the past, as time would.
        var (token, secret) = ApiToken.Issue(userId, "test token", now + (lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromMinutes(1)), tokenPermissions, everything, now).Value;
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        if (lifetime <= TimeSpan.Zero)
        {
            db.Entry(token).Property(t => t.ExpiresAt).CurrentValue = now.AddMinutes(-5);
            await db.SaveChangesAsync();
        }

        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>Runs <paramref name="query"/> on a fresh context of the control plane's database.</summary>
    public async Task<T> InDbAsync<T>(Func<NovaCronDbContext, Task<T>> query)
    {
        await using var db = await WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public async Task<Guid> AdminIdAsync()
    {
        using var scope = WebServices.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        return (await users.FindByNameAsync(AdminUserName))!.Id;
    }

    public sealed record PageOf<T>(List<T> Items, int Total, int Offset, int Limit);
}
