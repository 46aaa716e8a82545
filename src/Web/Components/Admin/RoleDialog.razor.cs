using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Creates a custom role or changes its permissions, choosing from the catalogue grouped by scope.</summary>
public sealed partial class RoleDialog
{
    private readonly HashSet<string> _chosen = new(StringComparer.Ordinal);
    private string _name = string.Empty;
    private string _description = string.Empty;

    /// <summary>The custom role to edit; null creates one.</summary>
    [Parameter]
    public RoleView? Role { get; set; }

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required CreateRoleHandler Create { get; init; }

    [Inject]
    public required SetRolePermissionsHandler SetPermissions { get; init; }

    protected override void OnInitialized()
    {
        if (Role is { } role)
        {
            _chosen.UnionWith(role.Permissions);
        }
    }

    private static string? ValidateName(string? name) => ResourceName.Validate(name, "role").Error?.Message;

    private void Toggle(string permission, bool on)
    {
        if (on)
        {
            _chosen.Add(permission);
        }
        else
        {
            _chosen.Remove(permission);
        }
    }

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        var actor = await CircuitActor.GetAsync();
        return Role is { } role
            ? await SetPermissions.HandleAsync(role.Id, new SetRolePermissionsRequest([.. _chosen]), actor, CancellationToken.None)
            : await Create.HandleAsync(new CreateRoleRequest(_name, _description, [.. _chosen]), actor, CancellationToken.None);
    });
}
