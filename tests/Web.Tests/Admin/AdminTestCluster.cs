using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Identity;
using NovaCron.Web.Features;
using NovaCron.Web.Security;
using NovaCron.Web.Tests.Support;

namespace NovaCron.Web.Tests.Admin;

/// <summary>A <see cref="TestCluster"/> with ASP.NET Core Identity and one signed-in user, "alice", who holds
/// a built-in global role everywhere (by default the built-in Administrator), or none and only the memberships
/// <see cref="AddProjectAsync"/> gives her.</summary>
internal static class AdminTestCluster
{
    public static readonly Guid AliceId = Guid.Parse("0197a000-0000-7000-8000-00000000a11c");

    public static async Task<TestCluster> StartAsync(string? globalRole = Role.Administrator)
    {
        var cluster = await TestCluster.StartAsync(services =>
        {
            services.AddDataProtection();
            services.AddIdentityCore<NovaCronUser>().AddRoles<IdentityRole<Guid>>().AddDefaultTokenProviders().AddNovaCronIdentityStores();
            services.TryAddSingleton(typeof(AccessCache<>));
            services.TryAddSingleton<AccessResolver>();
            services.TryAddScoped<CircuitActor>();
            services.AddSingleton<AuthenticationStateProvider>(new SignedInAs(AliceId));
        });

        await using var db = await cluster.Db.CreateDbContextAsync();
        db.Users.Add(new NovaCronUser
        {
            Id = AliceId,
            UserName = "alice",
            NormalizedUserName = "ALICE",
            SecurityStamp = Guid.NewGuid().ToString(),
            GlobalRoleId = globalRole is null ? null : Role.BuiltIn.Single(r => r.Name == globalRole).Id.Value,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return cluster;
    }

    /// <summary>Adds a project and, when <paramref name="aliceRole"/> names a built-in role, makes alice a member of
    /// it with that role.</summary>
    public static async Task<ProjectId> AddProjectAsync(this TestCluster cluster, string name, string? aliceRole = null)
    {
        await using var db = await cluster.Db.CreateDbContextAsync();
        var project = Project.Create(name, name, Quota.Unlimited, DateTimeOffset.UtcNow).Value!;
        db.Projects.Add(project);
        if (aliceRole is not null)
        {
            db.Memberships.Add(new ProjectMembership(AliceId, project.Id, Role.BuiltIn.Single(r => r.Name == aliceRole).Id));
        }

        await db.SaveChangesAsync();
        return project.Id;
    }

    public static Actor Administrator { get; } = new("alice", "test", new UserAccess(AliceId, "alice", Permissions.All.Select(p => p.Name), []));

    /// <summary>Can see VMs everywhere, nothing more.</summary>
    public static Actor Viewer { get; } = new("victor", "test", new UserAccess(Guid.NewGuid(), "victor", [Permissions.VmRead, Permissions.NodeRead], []));

    public static async Task<int> CountAsync<T>(this TestCluster cluster, Func<Infrastructure.Persistence.NovaCronDbContext, IQueryable<T>> set)
    {
        await using var db = await cluster.Db.CreateDbContextAsync();
        return await set(db).CountAsync();
    }

    private sealed class SignedInAs(Guid userId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString())], "test"))));
    }
}
