using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Web.Components.Admin;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Admin.Projects;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Tests.Support;
using Xunit;

namespace NovaCron.Web.Tests.Admin;

public sealed class AdministrationTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProjectDialog_NegativeQuota_ShowsDomainMessageAndKeepsQuota()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var project = (await cluster.Service<ProjectQueries>().ListAsync(AdminTestCluster.Administrator, Ct)).Value!.Single(p => p.IsDefault);
        var host = cluster.Context.Render<MudHost>();
        var dialogs = cluster.Service<IDialogService>();
        var dialog = await host.InvokeAsync(() => dialogs.ShowAsync<ProjectDialog>("Edit", new DialogParameters<ProjectDialog> { { d => d.Project, project } }));

        await host.ByTestId("quota-vms-input").InputAsync(new() { Value = "-1" });
        await host.ByTestId("project-submit").ClickAsync(new());

        var expected = new Quota(-1, null, null, null).Validate().Error!.Message;
        host.WaitForAssertion(() => Assert.Contains(expected, host.ValidationMessages()));
        Assert.False(dialog.Result.IsCompleted);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        Assert.Null((await db.Projects.SingleAsync(p => p.Id == ProjectId.Default, Ct)).Quota.MaxVms);
    }

    [Fact]
    public async Task ProjectsPage_VmsAgainstQuota_ShowsUsageOverLimitAndUpdatesOnCreate()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        await using (var db = await cluster.Db.CreateDbContextAsync(Ct))
        {
            (await db.Projects.SingleAsync(p => p.Id == ProjectId.Default, Ct)).SetQuota(new Quota(3, 8, null, null));
            await db.SaveChangesAsync(Ct);
        }

        var create = cluster.Service<NovaCron.Web.Features.Vms.CreateVm.CreateVmHandler>();
        Assert.True((await create.HandleAsync(new NovaCron.Web.Features.Vms.CreateVm.CreateVmRequest("q-1", 2, 256, 1, null, []), Actor.System, Ct)).IsSuccess);
        var page = cluster.Context.Render<MudHost>(host => host.AddChildContent<ProjectsPage>());
        page.WaitForAssertion(() => Assert.Contains("1 / 3", page.Markup, StringComparison.Ordinal));
        Assert.Contains("2 / 8", page.Markup, StringComparison.Ordinal);

        Assert.True((await create.HandleAsync(new NovaCron.Web.Features.Vms.CreateVm.CreateVmRequest("q-2", 1, 256, 1, null, []), Actor.System, Ct)).IsSuccess);

        page.WaitForAssertion(() => Assert.Contains("2 / 3", page.Markup, StringComparison.Ordinal));
        Assert.Contains("3 / 8", page.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100000")]
    public async Task EnrollmentPage_ValidityOutOfRange_SaysSoAndCreatesNothing(string hours)
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var page = cluster.Context.Render<MudHost>(host => host.AddChildContent<EnrollmentPage>());

        await page.WaitForElement("[data-testid='enrollment-hours-input'] input, input[data-testid='enrollment-hours-input']").ChangeAsync(new() { Value = hours });
        await page.ByTestId("enrollment-create").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("from 1 to 720", page.Markup, StringComparison.Ordinal));
        Assert.Equal(0, await cluster.CountAsync(db => db.EnrollmentTokens));
    }

    [Fact]
    public async Task CreateRole_UnknownPermission_RefusedAndNothingStored()
    {
        await using var cluster = await AdminTestCluster.StartAsync();

        var result = await cluster.Service<CreateRoleHandler>().HandleAsync(new CreateRoleRequest("backup-only", null, [Permissions.BackupManage, "vm.teleport"]), AdminTestCluster.Administrator, Ct);

        Assert.Equal(("role.unknown-permission", ErrorKind.Validation), (result.Error?.Code, result.Error?.Kind));
        Assert.Equal(0, await cluster.CountAsync(db => db.AccessRoles.Where(r => r.Name == "backup-only")));
    }

    [Fact]
    public async Task CreateToken_FromPage_ShowsSecretOnceAndStoresOnlyItsHash()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var host = cluster.Context.Render<MudHost>(p => p.AddChildContent<TokensPanel>());

        // The click's handler waits for the dialogs, so it completes only after the secret is shown.
        var creating = host.ByTestId("token-create").ClickAsync(new());
        await host.WaitForElement("[data-testid='token-name-input'] input, input[data-testid='token-name-input']").ChangeAsync(new() { Value = "ci" });
        await host.ByTestId("token-create-submit").ClickAsync(new());

        var secret = host.WaitForElement("[data-testid='secret-value'] input, input[data-testid='secret-value']").GetAttribute("value")!;
        Assert.StartsWith(ApiToken.Kind + "_", secret, StringComparison.Ordinal);
        await using (var db = await cluster.Db.CreateDbContextAsync(Ct))
        {
            var stored = await db.ApiTokens.SingleAsync(Ct);
            Assert.Equal(Secrets.Hash(secret), stored.SecretHash);
            Assert.DoesNotContain(secret, stored.SecretHash + stored.LookupId + stored.Name, StringComparison.Ordinal);
        }

        await host.ByTestId("secret-close").ClickAsync(new());
        await creating.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        host.WaitForAssertion(() => Assert.False(host.HasTestId("secret-value")));
        Assert.DoesNotContain(secret, host.Markup, StringComparison.Ordinal);
        var again = cluster.Context.Render<TokensPanel>();
        again.WaitForAssertion(() => Assert.Contains("ci", again.ByTestId("token-table").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, again.Markup, StringComparison.Ordinal);
    }

    public static TheoryData<string> UserHandlers => ["list", "create", "disable", "reset-password", "global-role", "membership"];

    [Theory]
    [MemberData(nameof(UserHandlers))]
    public async Task UserHandlers_WithoutUserManage_AreForbiddenAndRecordedAsDenied(string handler)
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var actor = AdminTestCluster.Viewer;
        var target = AdminTestCluster.AliceId;

        var error = handler switch
        {
            "list" => (await cluster.Service<UserQueries>().ListAsync(actor, Ct)).Error,
            "create" => (await cluster.Service<CreateUserHandler>().HandleAsync(new CreateUserRequest("mallory", "M", "a-long-enough-password", null), actor, Ct)).Error,
            "disable" => (await cluster.Service<SetUserDisabledHandler>().HandleAsync(target, true, actor, Ct)).Error,
            "reset-password" => (await cluster.Service<ResetPasswordHandler>().HandleAsync(target, new ResetPasswordRequest("a-long-enough-password"), actor, Ct)).Error,
            "global-role" => (await cluster.Service<SetGlobalRoleHandler>().HandleAsync(target, new SetGlobalRoleRequest(null), actor, Ct)).Error,
            _ => (await cluster.Service<SetMembershipHandler>().HandleAsync(new SetMembershipRequest(target, ProjectId.Default.Value, Role.BuiltIn[0].Id.Value), actor, Ct)).Error,
        };

        Assert.Equal(ErrorKind.Forbidden, error?.Kind);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        var alice = await db.Users.SingleAsync(u => u.Id == target, Ct);
        Assert.Equal((null, 1, 0), (alice.DisabledAt, await db.Users.CountAsync(Ct), await db.Memberships.CountAsync(Ct)));
        Assert.NotNull(alice.GlobalRoleId);
        if (handler != "list")
        {
            Assert.Equal(AuditResult.Denied, (await db.AuditRecords.SingleAsync(Ct)).Result);
        }
    }

    [Fact]
    public async Task SetMembership_ProjectManagerGivingRoleBeyondOwnRights_RefusedWhileLesserRoleIsGranted()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var manager = new Actor("pm", "test", new UserAccess(
            Guid.NewGuid(), "pm", [], [(ProjectId.Default, [Permissions.ProjectManage, Permissions.VmRead, Permissions.NodeRead])]));
        var handler = cluster.Service<SetMembershipHandler>();
        var operatorRole = Role.BuiltIn.Single(r => r.Name == Role.Operator).Id.Value;
        var auditorRole = Role.BuiltIn.Single(r => r.Name == Role.Auditor).Id.Value;

        var escalation = await handler.HandleAsync(new SetMembershipRequest(AdminTestCluster.AliceId, ProjectId.Default.Value, operatorRole), manager, Ct);
        // The Auditor role's audit.read is global-only: as a membership it confers only what the manager holds.
        var lesser = await handler.HandleAsync(new SetMembershipRequest(AdminTestCluster.AliceId, ProjectId.Default.Value, auditorRole), manager, Ct);

        Assert.Equal(ErrorKind.Forbidden, escalation.Error?.Kind);
        Assert.Contains($"the role '{Role.Operator}'", escalation.Error!.Message, StringComparison.Ordinal);
        Assert.True(lesser.IsSuccess, lesser.Error?.Message);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        Assert.Equal(new RoleId(auditorRole), (await db.Memberships.SingleAsync(Ct)).RoleId);
        Assert.Contains(await db.AuditRecords.ToListAsync(Ct), r => r.Action == "project.set-member" && r.Result == AuditResult.Denied);

        var demotion = await handler.HandleAsync(new SetMembershipRequest(AdminTestCluster.AliceId, ProjectId.Default.Value, null), AdminTestCluster.Administrator, Ct);
        Assert.True(demotion.IsSuccess, demotion.Error?.Message);
    }

    [Fact]
    public async Task SetMembership_ProjectManagerRemovingAStrongerMember_RefusedPromptlyAuditedAndKept()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var manager = new Actor("pm", "test", new UserAccess(
            Guid.NewGuid(), "pm", [], [(ProjectId.Default, [Permissions.ProjectManage, Permissions.VmRead, Permissions.NodeRead])]));
        var handler = cluster.Service<SetMembershipHandler>();
        var operatorRole = Role.BuiltIn.Single(r => r.Name == Role.Operator).Id;
        Assert.True((await handler.HandleAsync(new SetMembershipRequest(AdminTestCluster.AliceId, ProjectId.Default.Value, operatorRole.Value), AdminTestCluster.Administrator, Ct)).IsSuccess);

        // Before the fix the refusal's audit record waited on this handler's own write lock for 30 s, then threw.
        var removal = await handler.HandleAsync(new SetMembershipRequest(AdminTestCluster.AliceId, ProjectId.Default.Value, null), manager, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(ErrorKind.Forbidden, removal.Error?.Kind);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        Assert.Equal(operatorRole, (await db.Memberships.SingleAsync(Ct)).RoleId);
        Assert.Contains(await db.AuditRecords.ToListAsync(Ct), r => r.Action == "project.remove-member" && r.Result == AuditResult.Denied);
    }

    [Fact]
    public async Task ResetPassword_TooShortThenValid_RefusalAndResetAreBothAuditedAndOnlyTheValidOneApplies()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        var handler = cluster.Service<ResetPasswordHandler>();
        const string NewPassword = "A-long-enough-passw0rd";

        var refused = await handler.HandleAsync(AdminTestCluster.AliceId, new ResetPasswordRequest("short"), AdminTestCluster.Administrator, Ct);
        var reset = await handler.HandleAsync(AdminTestCluster.AliceId, new ResetPasswordRequest(NewPassword), AdminTestCluster.Administrator, Ct);

        Assert.Equal(ErrorKind.Validation, refused.Error?.Kind);
        Assert.True(reset.IsSuccess, reset.Error?.Message);
        await using (var db = await cluster.Db.CreateDbContextAsync(Ct))
        {
            var results = await db.AuditRecords.Where(r => r.Action == "user.reset-password").OrderBy(r => r.At).Select(r => r.Result).ToListAsync(Ct);
            Assert.Equal([AuditResult.Failed, AuditResult.Succeeded], results);
        }

        using var scope = cluster.Service<IServiceScopeFactory>().CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<NovaCron.Infrastructure.Identity.NovaCronUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(AdminTestCluster.AliceId.ToString()))!, NewPassword));
    }

    [Fact]
    public void ToCsv_UserText_IsQuotedEscapedAndFormulaNeutralised()
    {
        var record = AuditView.From(AuditRecord.Create(
            new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero),
            "=HYPERLINK(\"http://evil\")",
            null,
            null,
            "user.create",
            "user",
            "-2+3",
            "bob, \"the builder\"",
            "@ui",
            AuditResult.Succeeded,
            "line one\nline two"));

        var row = AuditExport.ToCsv([record]).Split("\r\n")[1..^1];

        var line = Assert.Single(row);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",", line, StringComparison.Ordinal);
        Assert.Contains(",'-2+3,\"bob, \"\"the builder\"\"\",'@ui,", line, StringComparison.Ordinal);
        Assert.EndsWith(",\"line one\nline two\"", line, StringComparison.Ordinal);
    }
}
