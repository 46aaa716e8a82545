using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Images;
using NovaCron.Web.Features.Vms.CreateVm;

namespace NovaCron.Web.Components.Vms;

/// <summary>Asks for a new VM. Fields are checked with the domain's own rules (<see cref="ResourceName"/>,
/// <see cref="VmSpec"/>) before the handler is called; an error from the handler is shown in the dialog, which stays open.
/// The project select offers the projects where the signed-in person may create VMs (<see cref="CreatableProjects"/>),
/// preselected as a create that names no project would choose. Closes with the created <see cref="Realtime.VmView"/>.</summary>
public sealed partial class CreateVmDialog
{
    private IReadOnlyList<ImageView> _images = [];
    private IReadOnlyList<ProjectChoice> _projects = [];
    private string _name = string.Empty;
    private int _vcpus = 1;
    private long _memoryMiB = 256;
    private long _diskGiB = 1;
    private Guid? _imageId;
    private Guid? _projectId;
    private string _tags = string.Empty;

    [Inject]
    public required ImageCatalog Images { get; init; }

    [Inject]
    public required CreatableProjects Projects { get; init; }

    [Inject]
    public required CreateVmHandler Handler { get; init; }

    [Inject]
    public required Security.CircuitActor Circuit { get; init; }

    protected override async Task OnInitializedAsync()
    {
        // Both lists are read before either is shown, so the form never appears half filled.
        var images = await Images.ListAsync(CancellationToken.None);
        var (projects, preselected) = await Projects.ListAsync(await Circuit.GetAsync(), CancellationToken.None);
        (_images, _projects, _projectId) = (images, projects, preselected);
        _imageId = (_images.FirstOrDefault(i => i.IsDefault) ?? _images.FirstOrDefault())?.Id;
    }

    // Each size is checked alone, with valid values for the others, so every field shows its own message.
    private static string? ValidateName(string? name) => ResourceName.Validate(name, "VM").Error?.Message;

    internal static string? ValidateVCpus(int vcpus) => VmSpec.Validate(vcpus, VmSpec.MinMemoryMiB, 1, null).Error?.Message;

    internal static string? ValidateMemory(long memoryMiB) => VmSpec.Validate(1, memoryMiB, 1, null).Error?.Message;

    internal static string? ValidateDisk(long diskGiB) => VmSpec.Validate(1, VmSpec.MinMemoryMiB, diskGiB, null).Error?.Message;

    private static string? ValidateTags(string? tags) => VmSpec.Validate(1, VmSpec.MinMemoryMiB, 1, ParseTags(tags)).Error?.Message;

    private static List<string> ParseTags(string? tags) =>
        [.. (tags ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    private string ImageName(Guid? id) => _images.FirstOrDefault(i => i.Id == id)?.Name ?? string.Empty;

    private string ProjectName(Guid? id) => _projects.FirstOrDefault(p => p.Id == id)?.Name ?? string.Empty;

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        var request = new CreateVmRequest(_name, _vcpus, _memoryMiB, _diskGiB, _imageId?.ToString(), ParseTags(_tags), Project: _projectId?.ToString());
        return await Handler.HandleAsync(request, await Circuit.GetAsync(), CancellationToken.None);
    });
}
