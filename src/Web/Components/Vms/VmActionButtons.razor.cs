using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Vms;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Vms.VmActions;
using NovaCron.Web.Realtime;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Vms;

/// <summary>Start, stop, force stop, reboot, pause, resume, resize (in a dialog) and delete (after confirmation) for one VM. Failures are shown
/// in a snackbar with the handler's message; the VM's new state arrives through the feed.</summary>
public sealed partial class VmActionButtons
{
    private static readonly VmAction[] Actions = Enum.GetValues<VmAction>();

    private bool _busy;

    [Inject]
    public required VmActionHandler Handler { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required CircuitActor Circuit { get; init; }

    private Actor? _actor;

    /// <summary>The VM the buttons act on.</summary>
    [Parameter, EditorRequired]
    public required VmView Vm { get; set; }

    protected override async Task OnInitializedAsync() => _actor = await Circuit.GetAsync();

    /// <summary>Actions the person may never take on this VM are not shown at all.</summary>
    private bool Permitted(VmAction action) =>
        _actor?.Access.Can(VmActionHandler.PermissionFor(action), new Domain.Projects.ProjectId(Vm.ProjectId)) == true;

    private bool CanResizeHere =>
        _actor?.Access.Can(Domain.Identity.Permissions.VmResize, new Domain.Projects.ProjectId(Vm.ProjectId)) == true;

    private async Task ResizeAsync()
    {
        var parameters = new DialogParameters<ResizeVmDialog> { { d => d.Vm, Vm } };
        var dialog = await Dialogs.ShowAsync<ResizeVmDialog>("Resize VM", parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: OperationView operation })
        {
            Snackbar.Add($"Resizing '{Vm.Name}' (operation {operation.Id}).", Severity.Info);
        }
    }

    private static string Label(VmAction action) => action == VmAction.ForceStop ? "Force stop" : action.ToString();

    private static string Slug(VmAction action) => VmStateMachine.Describe(action);

    private async Task RequestAsync(VmAction action)
    {
        var vm = Vm;
        if (action == VmAction.Delete)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Delete VM",
                $"Delete VM '{vm.Name}' and its disk? This cannot be undone.",
                yesText: "Delete",
                cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        _busy = true;
        try
        {
            var result = await Handler.HandleAsync(vm.Id, action, await Circuit.GetAsync(), CancellationToken.None);
            if (!result.IsSuccess)
            {
                Snackbar.Add(result.Error!.Message, Severity.Error);
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
