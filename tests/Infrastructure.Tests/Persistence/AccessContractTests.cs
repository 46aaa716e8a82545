using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Infrastructure.Tests.Persistence;

/// <summary>Projects, roles, tokens, node credentials, the audit log and Identity users on every provider.</summary>
public abstract class AccessContractTests<TDatabase>(TDatabase database)
    where TDatabase : IDatabaseFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Projects_AfterMigration_ContainTheUnlimitedDefaultProject()
    {
        await using var db = database.CreateContext();
        var project = await db.Projects.SingleAsync(p => p.Id == ProjectId.Default, Ct);

        Assert.Equal(("default", "Default project"), (project.Name, project.Description));
        Assert.Equal(Quota.Unlimited, project.Quota);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), project.CreatedAt);
    }

    [Fact]
    public async Task AccessChangeSignal_MovesWhenAccessChangesOnly()
    {
        var signal = database.Services.GetRequiredService<AccessChangeSignal>();
        await using var db = database.CreateContext();
        var start = signal.Generation;

        db.Nodes.Add(TestData.Node());
        await db.SaveChangesAsync(Ct);
        var afterNode = signal.Generation;
        db.Projects.Add(Project.Create(TestData.UniqueName("p"), "", Quota.Unlimited, TestData.Now).Value!);
        await db.SaveChangesAsync(Ct);

        Assert.Equal(start, afterNode);
        Assert.True(signal.Generation >= afterNode + 2, "moved before and after the save");
    }

    [Fact]
    public async Task AccessRoles_AfterMigration_ContainTheBuiltInRolesWithTheirPermissions()
    {
        await using var db = database.CreateContext();
        var roles = await db.AccessRoles.Where(r => r.IsBuiltIn).OrderBy(r => r.Name).ToListAsync(Ct);

        Assert.Equal(Role.BuiltIn.Select(r => r.Name).Order(StringComparer.Ordinal), roles.Select(r => r.Name));
        foreach (var builtIn in Role.BuiltIn)
        {
            var loaded = roles.Single(r => r.Id == builtIn.Id);
            Assert.Equal(builtIn.Permissions, loaded.Permissions);
            Assert.Equal(builtIn.Description, loaded.Description);
        }
    }

    [Fact]
    public async Task Project_RoundTrip_KeepsQuotaWithUnsetLimits()
    {
        var project = Project.Create(TestData.UniqueName("proj"), " team A ", new Quota(10, 32, 65536, null), TestData.Now).Value!;
        await SaveAsync(project);

        await using var db = database.CreateContext();
        var loaded = await db.Projects.SingleAsync(p => p.Id == project.Id, Ct);

        Assert.Equal((project.Name, "team A", TestData.Now), (loaded.Name, loaded.Description, loaded.CreatedAt));
        Assert.Equal(new Quota(10, 32, 65536, null), loaded.Quota);
    }

    [Fact]
    public async Task Project_QuotaChangedOnTrackedProject_IsSaved()
    {
        var project = Project.Create(TestData.UniqueName("proj"), "", Quota.Unlimited, TestData.Now).Value!;
        await SaveAsync(project);

        await using (var db = database.CreateContext())
        {
            var tracked = await db.Projects.SingleAsync(p => p.Id == project.Id, Ct);
            tracked.SetQuota(new Quota(null, null, null, 500));
            await db.SaveChangesAsync(Ct);
        }

        await using var verify = database.CreateContext();
        Assert.Equal(new Quota(null, null, null, 500), (await verify.Projects.SingleAsync(p => p.Id == project.Id, Ct)).Quota);
    }

    [Fact]
    public async Task Membership_RoundTrip_KeepsUserProjectAndRole()
    {
        var membership = new ProjectMembership(Guid.NewGuid(), ProjectId.Default, Role.BuiltIn[1].Id);
        await SaveAsync(membership);

        await using var db = database.CreateContext();
        var loaded = await db.Memberships.SingleAsync(m => m.UserId == membership.UserId, Ct);

        Assert.Equal(membership, loaded);
    }

    [Fact]
    public async Task Membership_SameUserTwiceInProject_IsRejected()
    {
        var user = Guid.NewGuid();
        await SaveAsync(new ProjectMembership(user, ProjectId.Default, Role.BuiltIn[2].Id));

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => SaveAsync(new ProjectMembership(user, ProjectId.Default, Role.BuiltIn[1].Id)));
    }

    [Fact]
    public async Task Role_Custom_RoundTrip_KeepsPermissions()
    {
        var role = Role.CreateCustom(TestData.UniqueName("role"), "backup people", [Permissions.BackupManage, Permissions.VmRead]).Value!;
        await SaveAsync(role);

        await using var db = database.CreateContext();
        var loaded = await db.AccessRoles.SingleAsync(r => r.Id == role.Id, Ct);

        Assert.Equal((role.Name, "backup people", false), (loaded.Name, loaded.Description, loaded.IsBuiltIn));
        Assert.Equal([Permissions.BackupManage, Permissions.VmRead], loaded.Permissions);
    }

    [Fact]
    public async Task Role_PermissionsSetOnTrackedRole_AreSaved()
    {
        var role = Role.CreateCustom(TestData.UniqueName("role"), "", [Permissions.VmRead]).Value!;
        await SaveAsync(role);

        await using (var db = database.CreateContext())
        {
            var tracked = await db.AccessRoles.SingleAsync(r => r.Id == role.Id, Ct);
            tracked.SetPermissions([Permissions.VmRead, Permissions.VmPower]);
            await db.SaveChangesAsync(Ct);
        }

        await using var verify = database.CreateContext();
        Assert.Equal([Permissions.VmPower, Permissions.VmRead], (await verify.AccessRoles.SingleAsync(r => r.Id == role.Id, Ct)).Permissions);
    }

    [Fact]
    public async Task ApiToken_WithPermissionSubset_RoundTripsTheSubset()
    {
        var token = IssueToken([Permissions.VmRead, Permissions.AuditRead]);
        await SaveAsync(token);

        await using var db = database.CreateContext();
        var loaded = await db.ApiTokens.SingleAsync(t => t.LookupId == token.LookupId, Ct);

        Assert.Equal((token.Id, token.UserId, token.Name, token.SecretHash), (loaded.Id, loaded.UserId, loaded.Name, loaded.SecretHash));
        Assert.Equal((TestData.Now, TestData.Now.AddDays(30)), (loaded.CreatedAt, loaded.ExpiresAt));
        Assert.Equal([Permissions.AuditRead, Permissions.VmRead], loaded.Permissions);
    }

    [Fact]
    public async Task ApiToken_WithoutPermissionSubset_RoundTripsAsNull()
    {
        var token = IssueToken(null);
        await SaveAsync(token);

        await using var db = database.CreateContext();
        var loaded = await db.ApiTokens.SingleAsync(t => t.Id == token.Id, Ct);

        Assert.Null(loaded.Permissions);
    }

    [Fact]
    public async Task ApiToken_LookupIdReused_IsRejected()
    {
        var token = IssueToken(null);
        await SaveAsync(token);

        await using var db = database.CreateContext();
        var duplicate = IssueToken(null);
        db.ApiTokens.Add(duplicate);
        db.Entry(duplicate).Property(t => t.LookupId).CurrentValue = token.LookupId;

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task EnrollmentToken_Consumed_RoundTripsAndIsNotConsumedAgain()
    {
        var (token, _) = EnrollmentToken.Create("rack 4", singleUse: true, TestData.Now.AddDays(1), "alice", TestData.Now).Value;
        await SaveAsync(token);

        await using (var db = database.CreateContext())
        {
            Assert.True(await db.EnrollmentTokens.TryConsumeAsync(token.Id, "node-7", TestData.Now.AddHours(1), Ct));
            Assert.False(await db.EnrollmentTokens.TryConsumeAsync(token.Id, "node-8", TestData.Now.AddHours(2), Ct));
        }

        await using var verify = database.CreateContext();
        var loaded = await verify.EnrollmentTokens.SingleAsync(t => t.Id == token.Id, Ct);
        Assert.Equal(("rack 4", true, "alice", token.SecretHash), (loaded.Description, loaded.SingleUse, loaded.CreatedBy, loaded.SecretHash));
        Assert.Equal((TestData.Now.AddDays(1), TestData.Now.AddHours(1), "node-7"), (loaded.ExpiresAt, loaded.UsedAt!.Value, loaded.UsedByNode));
        Assert.Null(loaded.RevokedAt);
    }

    [Fact]
    public async Task EnrollmentToken_ConsumedByRacingEnrollments_ExactlyOneWins()
    {
        var (token, _) = EnrollmentToken.Create("raced", singleUse: true, TestData.Now.AddDays(1), "alice", TestData.Now).Value;
        await SaveAsync(token);
        using var start = new SemaphoreSlim(0);

        var racers = Enumerable.Range(1, 8).Select(i => Task.Run(
            async () =>
            {
                await using var db = database.CreateContext();
                await db.Database.OpenConnectionAsync(Ct);
                await start.WaitAsync(Ct);
                return await db.EnrollmentTokens.TryConsumeAsync(token.Id, $"racer-{i}", TestData.Now.AddHours(1), Ct);
            },
            Ct)).ToList();
        start.Release(racers.Count);
        var won = await Task.WhenAll(racers);

        Assert.Single(won, w => w);
    }

    [Fact]
    public async Task EnrollmentToken_ReusableUntilExpiry_ConsumedByEachButNotWhenExpiredOrRevoked()
    {
        var (reusable, _) = EnrollmentToken.Create("fleet", singleUse: false, TestData.Now.AddDays(1), "alice", TestData.Now).Value;
        var (revoked, _) = EnrollmentToken.Create("gone", singleUse: false, TestData.Now.AddDays(1), "alice", TestData.Now).Value;
        revoked.Revoke(TestData.Now);
        await SaveAsync(reusable, revoked);
        await using var db = database.CreateContext();

        var first = await db.EnrollmentTokens.TryConsumeAsync(reusable.Id, "fleet-1", TestData.Now.AddHours(1), Ct);
        var second = await db.EnrollmentTokens.TryConsumeAsync(reusable.Id, "fleet-2", TestData.Now.AddHours(2), Ct);
        var expired = await db.EnrollmentTokens.TryConsumeAsync(reusable.Id, "fleet-3", TestData.Now.AddDays(1), Ct);
        var afterRevoke = await db.EnrollmentTokens.TryConsumeAsync(revoked.Id, "gone-1", TestData.Now.AddHours(1), Ct);

        Assert.Equal((true, true, false, false), (first, second, expired, afterRevoke));
    }

    [Fact]
    public async Task NodeCredential_RoundTrip_KeepsNodeAndRevocation()
    {
        var nodeName = TestData.UniqueName("node");
        var (credential, _) = NodeCredential.Issue(nodeName, TestData.Now);
        credential.Revoke(TestData.Now.AddDays(2));
        await SaveAsync(credential);

        await using var db = database.CreateContext();
        var loaded = await db.NodeCredentials.SingleAsync(c => c.NodeName == nodeName, Ct);

        Assert.Equal((credential.Id, credential.LookupId, credential.SecretHash), (loaded.Id, loaded.LookupId, loaded.SecretHash));
        Assert.Equal((TestData.Now, TestData.Now.AddDays(2)), (loaded.IssuedAt, loaded.RevokedAt!.Value));
        Assert.False(loaded.IsUsable);
    }

    [Fact]
    public async Task AuditRecord_RoundTrip_KeepsEveryField()
    {
        var record = Audit("vm.create");
        await SaveAsync(record);

        await using var db = database.CreateContext();
        var loaded = await db.AuditRecords.SingleAsync(a => a.Id == record.Id, Ct);

        Assert.Equal((TestData.Now, "alice", record.ActorUserId, ProjectId.Default.Value), (loaded.At, loaded.Actor, loaded.ActorUserId, loaded.ProjectId!.Value));
        Assert.Equal(("vm.create", "vm", "42", "web-1"), (loaded.Action, loaded.TargetType, loaded.TargetId, loaded.TargetName));
        Assert.Equal(("api 10.0.0.5", AuditResult.Denied, "no vm.create"), (loaded.Source, loaded.Result, loaded.Detail));
    }

    [Fact]
    public async Task AuditRecord_ModifiedThroughEf_Throws()
    {
        var record = Audit("vm.delete");
        await SaveAsync(record);

        await using var db = database.CreateContext();
        var tracked = await db.AuditRecords.SingleAsync(a => a.Id == record.Id, Ct);
        db.Entry(tracked).Property(a => a.Actor).CurrentValue = "mallory";

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
    }

    [Fact]
    public async Task AuditRecord_DeletedThroughEf_Throws()
    {
        var record = Audit("vm.delete");
        await SaveAsync(record);

        await using var db = database.CreateContext();
        db.AuditRecords.Remove(await db.AuditRecords.SingleAsync(a => a.Id == record.Id, Ct));

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task AuditRecord_UpdatedWithRawSql_IsRejectedByTheDatabase()
    {
        var record = Audit("user.disable");
        await SaveAsync(record);

        await using var db = database.CreateContext();
        var ex = await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE \"AuditRecords\" SET \"Actor\" = 'mallory' WHERE \"Id\" = {record.Id}", Ct));

        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Equal("alice", (await db.AuditRecords.AsNoTracking().SingleAsync(a => a.Id == record.Id, Ct)).Actor);
    }

    [Fact]
    public async Task AuditRecord_DeletedWithRawSql_IsRejectedByTheDatabase()
    {
        var record = Audit("user.disable");
        await SaveAsync(record);

        await using var db = database.CreateContext();
        var ex = await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditRecords\" WHERE \"Id\" = {record.Id}", Ct));

        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.True(await db.AuditRecords.AnyAsync(a => a.Id == record.Id, Ct));
    }

    [Fact]
    public async Task VirtualMachine_CreatedWithoutProject_IsInTheDefaultProject()
    {
        var vm = TestData.Vm();
        await SaveAsync(vm);

        await using var db = database.CreateContext();

        Assert.Equal(ProjectId.Default, await db.Vms.Where(v => v.Id == vm.Id).Select(v => v.ProjectId).SingleAsync(Ct));
        Assert.Contains(vm.Id, await db.Vms.Where(v => v.ProjectId == ProjectId.Default).Select(v => v.Id).ToListAsync(Ct));
    }

    [Fact]
    public async Task VirtualMachine_CreatedInProject_KeepsItsProject()
    {
        var project = ProjectId.New();
        var vm = Domain.Vms.VirtualMachine.Create(TestData.UniqueName("vm"), TestData.Vm().Spec, TestData.Now, project).Value!;
        await SaveAsync(vm);

        await using var db = database.CreateContext();

        Assert.Equal(project, await db.Vms.Where(v => v.Id == vm.Id).Select(v => v.ProjectId).SingleAsync(Ct));
    }

    [Fact]
    public async Task UserManager_CreatedUser_IsFoundByName()
    {
        var name = TestData.UniqueName("user");
        await using (var scope = database.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
            var user = new NovaCronUser { UserName = name, DisplayName = "Alice", GlobalRoleId = Role.BuiltIn[0].Id.Value, CreatedAt = TestData.Now };
            var created = await users.CreateAsync(user, "Correct-horse-battery-1");
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await using var verify = database.Services.CreateAsyncScope();
        var found = await verify.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>().FindByNameAsync(name);

        Assert.NotNull(found);
        Assert.Equal(("Alice", Role.BuiltIn[0].Id.Value, TestData.Now), (found.DisplayName, found.GlobalRoleId, found.CreatedAt));
        Assert.Null(found.DisabledAt);
    }

    private static ApiToken IssueToken(IReadOnlyList<string>? permissions)
    {
        var user = Guid.NewGuid();
        var owner = new UserAccess(user, "alice", Permissions.All.Select(p => p.Name), []);
        return ApiToken.Issue(user, "ci", TestData.Now.AddDays(30), permissions, owner, TestData.Now).Value.Token;
    }

    private static AuditRecord Audit(string action) => AuditRecord.Create(
        TestData.Now, "alice", Guid.NewGuid(), ProjectId.Default.Value, action, "vm", "42", "web-1", "api 10.0.0.5", AuditResult.Denied, "no vm.create");

    private async Task SaveAsync(params object[] entities)
    {
        await using var db = database.CreateContext();
        db.AddRange(entities);
        await db.SaveChangesAsync(Ct);
    }
}

public sealed class SqliteAccessTests(SqliteDatabase database)
    : AccessContractTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class PostgresAccessTests(PostgresDatabase database)
    : AccessContractTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
