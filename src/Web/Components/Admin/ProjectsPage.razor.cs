using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features.Admin.Projects;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Projects with usage against quota. Administrators (<see cref="Permissions.UserManage"/>) create, edit and
/// delete them; project managers manage the members of their projects.</summary>
public sealed partial class ProjectsPage
{
    private IReadOnlyList<ProjectView> _projects = [];
    private string? _error;
    private bool _canAdminister;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required ProjectQueries Queries { get; init; }

    [Inject]
    public required DeleteProjectHandler Delete { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _canAdminister = (await CircuitActor.GetAsync()).Access.Can(Permissions.UserManage);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var result = await Queries.ListAsync(await CircuitActor.GetAsync(), CancellationToken.None);
        _error = result.Error?.Message;
        _projects = result.Value ?? [];
    }

    private async Task CreateAsync() => await OpenAsync<ProjectDialog>("New project", []);

    private async Task EditAsync(ProjectView project) => await OpenAsync<ProjectDialog>($"Edit {project.Name}", new DialogParameters<ProjectDialog> { { d => d.Project, project } });

    private async Task MembersAsync(ProjectView project) => await OpenAsync<ProjectMembersDialog>($"Members of {project.Name}", new DialogParameters<ProjectMembersDialog> { { d => d.Project, project } });

    private async Task OpenAsync<TDialog>(string title, DialogParameters parameters)
        where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await dialog.Result;
        await LoadAsync();
    }

    private async Task DeleteAsync(ProjectView project)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete project", $"Delete project '{project.Name}' and its memberships?", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Delete.HandleAsync(project.Id, await CircuitActor.GetAsync(), CancellationToken.None);
        await LoadAsync();
        _error = result.Error?.Message ?? _error;
    }
}
