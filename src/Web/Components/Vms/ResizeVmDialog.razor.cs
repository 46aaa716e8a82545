using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Vms.ResizeVm;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Components.Vms;

/// <summary>Asks for new sizes of a stopped VM, starting from its current ones. The handler's refusal (quota, node room,
/// state) is shown in the dialog, which stays open; closes with the resize operation.</summary>
public sealed partial class ResizeVmDialog
{
    private int _vcpus;
    private long _memoryMiB;
    private long _diskGiB;

    [Inject]
    public required ResizeVmHandler Handler { get; init; }

    [Inject]
    public required Security.CircuitActor Circuit { get; init; }

    /// <summary>The VM to resize.</summary>
    [Parameter, EditorRequired]
    public required VmView Vm { get; set; }

    protected override void OnInitialized()
    {
        _vcpus = Vm.VCpus;
        _memoryMiB = Vm.MemoryMiB;
        _diskGiB = Vm.DiskGiB;
    }

    private string? ValidateDisk(long diskGiB) => diskGiB < Vm.DiskGiB
        ? $"The disk can only grow; it is {Vm.DiskGiB} GiB."
        : CreateVmDialog.ValidateDisk(diskGiB);

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        return await Handler.HandleAsync(Vm.Id, new ResizeVmRequest(_vcpus, _memoryMiB, _diskGiB), await Circuit.GetAsync(), CancellationToken.None);
    });
}
