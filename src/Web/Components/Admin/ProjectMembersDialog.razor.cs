using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Projects;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Adds, changes and removes the members of one project (by user name, with a role).</summary>
public sealed partial class ProjectMembersDialog
{
    private List<ProjectMemberView> _members = [];
    private IReadOnlyList<RoleView> _roles = [];
    private string _userName = string.Empty;
    private Guid? _roleId;
    private string? _error;

    [CascadingParameter]
    public IMudDialogInstance? Dialog { get; set; }

    [Parameter]
    [EditorRequired]
    public ProjectView Project { get; set; } = null!;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required RoleQueries Roles { get; init; }

    [Inject]
    public required UserQueries Users { get; init; }

    [Inject]
    public required SetMembershipHandler Handler { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _members = [.. Project.Members];
        var actor = await CircuitActor.GetAsync();
        var roles = await Roles.ListAsync(actor, CancellationToken.None);
        // Only the roles this person may hand out here: the same rule the handler applies (SetMembershipHandler).
        var project = new Domain.Projects.ProjectId(Project.Id);
        _roles = [.. (roles.Value ?? []).Where(r => actor.Access.FirstNotHeldIn(r.Permissions, project) is null)];
        _roleId = (_roles.FirstOrDefault(r => r.Name == Domain.Identity.Role.Viewer) ?? _roles.FirstOrDefault())?.Id;
    }

    private string RoleName(Guid? id) => _roles.FirstOrDefault(r => r.Id == id)?.Name ?? string.Empty;

    private async Task AddAsync()
    {
        var actor = await CircuitActor.GetAsync();
        var user = await Users.FindIdAsync(actor, _userName, CancellationToken.None);
        if (!user.IsSuccess)
        {
            _error = user.Error!.Message;
            return;
        }

        if (_roleId is null)
        {
            _error = "Choose a role.";
            return;
        }

        await ApplyAsync(new SetMembershipRequest(user.Value, Project.Id, _roleId));
    }

    private Task RemoveAsync(ProjectMemberView member) => ApplyAsync(new SetMembershipRequest(member.UserId, Project.Id, null));

    private async Task ApplyAsync(SetMembershipRequest request)
    {
        var result = await Handler.HandleAsync(request, await CircuitActor.GetAsync(), CancellationToken.None);
        _error = result.Error?.Message;
        if (!result.IsSuccess)
        {
            return;
        }

        _members.RemoveAll(m => m.UserId == request.UserId);
        if (request.RoleId is { } roleId)
        {
            _members.Add(new ProjectMemberView(request.UserId, result.Value!.UserName, roleId, RoleName(roleId)));
        }

        _userName = string.Empty;
    }

    private void Close() => Dialog?.Close(DialogResult.Ok(true));
}
