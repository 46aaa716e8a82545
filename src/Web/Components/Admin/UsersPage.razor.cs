using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Every user with global role, 2FA, lock-out, disabled state and memberships; create, disable or enable,
/// reset the password, set the global role.</summary>
public sealed partial class UsersPage
{
    private List<UserView> _users = [];
    private IReadOnlyList<RoleView> _roles = [];
    private string? _error;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required UserQueries Queries { get; init; }

    [Inject]
    public required RoleQueries Roles { get; init; }

    [Inject]
    public required SetUserDisabledHandler SetDisabled { get; init; }

    [Inject]
    public required SetGlobalRoleHandler SetGlobalRole { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    protected override async Task OnInitializedAsync()
    {
        var roles = await Roles.ListAsync(await CircuitActor.GetAsync(), CancellationToken.None);
        _roles = roles.Value ?? [];
        await LoadAsync();
    }

    private string RoleName(Guid? id) => id is null ? "(none)" : _roles.FirstOrDefault(r => r.Id == id)?.Name ?? "(unknown)";

    private async Task LoadAsync()
    {
        var result = await Queries.ListAsync(await CircuitActor.GetAsync(), CancellationToken.None);
        _error = result.Error?.Message;
        _users = [.. result.Value ?? []];
    }

    private async Task CreateAsync()
    {
        var parameters = new DialogParameters<CreateUserDialog> { { d => d.Roles, _roles } };
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New user", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await dialog.Result;
        await LoadAsync();
    }

    private async Task ResetPasswordAsync(UserView user)
    {
        var parameters = new DialogParameters<ResetPasswordDialog> { { d => d.User, user } };
        await Dialogs.ShowAsync<ResetPasswordDialog>($"Reset password of {user.UserName}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
    }

    private async Task ToggleDisabledAsync(UserView user) =>
        Replace(await SetDisabled.HandleAsync(user.Id, !user.Disabled, await CircuitActor.GetAsync(), CancellationToken.None));

    private async Task SetGlobalRoleAsync(UserView user, Guid? roleId) =>
        Replace(await SetGlobalRole.HandleAsync(user.Id, new SetGlobalRoleRequest(roleId), await CircuitActor.GetAsync(), CancellationToken.None));

    private void Replace(Domain.Common.Result<UserView> result)
    {
        _error = result.Error?.Message;
        if (result.Value is { } changed)
        {
            var index = _users.FindIndex(u => u.Id == changed.Id);
            if (index >= 0)
            {
                _users[index] = changed;
            }
        }
    }
}
