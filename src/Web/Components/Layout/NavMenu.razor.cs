using Microsoft.AspNetCore.Components;
using NovaCron.Domain.Identity;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Layout;

/// <summary>Navigation; administration links appear only to those who hold the permission the page needs.</summary>
public sealed partial class NavMenu
{
    private bool _signedIn;
    private bool _canManageUsers;
    private bool _canManageProjects;
    private bool _canManageNodes;
    private bool _canReadAudit;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    protected override async Task OnInitializedAsync()
    {
        var access = (await CircuitActor.GetAsync()).Access;
        _signedIn = access.UserId != Guid.Empty;
        _canManageUsers = access.Can(Permissions.UserManage);
        _canManageProjects = access.Can(Permissions.ProjectManage);
        _canManageNodes = access.Can(Permissions.NodeManage);
        _canReadAudit = access.Can(Permissions.AuditRead);
    }
}
