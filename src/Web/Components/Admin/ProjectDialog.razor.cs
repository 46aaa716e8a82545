using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;
using NovaCron.Web.Features.Admin.Projects;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Creates a project or edits one's description and quota. Fields are checked with the domain's rules
/// (<see cref="ResourceName"/>, <see cref="Quota.Validate"/>); the handler's refusal is shown in the open dialog.</summary>
public sealed partial class ProjectDialog
{
    private string _name = string.Empty;
    private string _description = string.Empty;
    private int? _maxVms;
    private int? _maxVCpus;
    private long? _maxMemoryMiB;
    private long? _maxDiskGiB;

    /// <summary>The project to edit; null creates one.</summary>
    [Parameter]
    public ProjectView? Project { get; set; }

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required CreateProjectHandler Create { get; init; }

    [Inject]
    public required UpdateProjectHandler Update { get; init; }

    protected override void OnInitialized()
    {
        if (Project is { } project)
        {
            _description = project.Description;
            (_maxVms, _maxVCpus, _maxMemoryMiB, _maxDiskGiB) = (project.Quota.MaxVms, project.Quota.MaxVCpus, project.Quota.MaxMemoryMiB, project.Quota.MaxDiskGiB);
        }
    }

    private static string? ValidateName(string? name) => ResourceName.Validate(name, "project").Error?.Message;

    // Each limit is checked alone so every field shows its own message.
    private static string? ValidateLimit(int? value) => new Quota(value, null, null, null).Validate().Error?.Message;

    private static string? ValidateLimit(long? value) => new Quota(null, null, value, null).Validate().Error?.Message;

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        var quota = new Quota(_maxVms, _maxVCpus, _maxMemoryMiB, _maxDiskGiB);
        var actor = await CircuitActor.GetAsync();
        return Project is { } project
            ? await Update.HandleAsync(project.Id, new UpdateProjectRequest(_description, quota), actor, CancellationToken.None)
            : await Create.HandleAsync(new CreateProjectRequest(_name, _description, quota), actor, CancellationToken.None);
    });
}
