using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Built-in and custom roles; custom ones can be created, edited and, when nobody holds them, deleted.</summary>
public sealed partial class RolesPage
{
    private IReadOnlyList<RoleView> _roles = [];
    private string? _error;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required RoleQueries Queries { get; init; }

    [Inject]
    public required DeleteRoleHandler Delete { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var result = await Queries.ListAsync(await CircuitActor.GetAsync(), CancellationToken.None);
        _error = result.Error?.Message;
        _roles = result.Value ?? [];
    }

    private async Task EditAsync(RoleView? role)
    {
        var parameters = new DialogParameters<RoleDialog> { { d => d.Role, role } };
        var dialog = await Dialogs.ShowAsync<RoleDialog>(role is null ? "New role" : $"Edit {role.Name}", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        await dialog.Result;
        await LoadAsync();
    }

    private async Task DeleteAsync(RoleView role)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete role", $"Delete role '{role.Name}'?", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Delete.HandleAsync(role.Id, await CircuitActor.GetAsync(), CancellationToken.None);
        await LoadAsync();
        _error = result.Error?.Message ?? _error;
    }
}
