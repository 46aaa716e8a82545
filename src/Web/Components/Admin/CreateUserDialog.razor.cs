using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Creates a user; Identity's password rules answer in the dialog, which stays open.</summary>
public sealed partial class CreateUserDialog
{
    private string _userName = string.Empty;
    private string _displayName = string.Empty;
    private string _password = string.Empty;
    private Guid? _roleId;

    [Parameter]
    public IReadOnlyList<RoleView> Roles { get; set; } = [];

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required CreateUserHandler Handler { get; init; }

    private string RoleName(Guid? id) => id is null ? "(none: project memberships only)" : Roles.FirstOrDefault(r => r.Id == id)?.Name ?? string.Empty;

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        return await Handler.HandleAsync(new CreateUserRequest(_userName, _displayName, _password, _roleId), await CircuitActor.GetAsync(), CancellationToken.None);
    });
}
