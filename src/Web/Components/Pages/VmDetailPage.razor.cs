using Microsoft.AspNetCore.Components;
using NovaCron.Domain.Vms;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Components.Pages;

/// <summary>One VM: spec, state, actions, state history, its operations and its live serial console.</summary>
public sealed partial class VmDetailPage
{
    private VmView? _vm;
    private IReadOnlyList<VmStateChange> _history = [];
    private string _console = string.Empty;
    private string? _notFound;

    [Inject]
    public required VmQueries Queries { get; init; }

    [Parameter]
    public Guid Id { get; set; }

    protected override object? SnapshotKey => Id;

    protected override async Task LoadAsync()
    {
        var detail = await Queries.GetAsync(Id, Access, CancellationToken.None);
        if (!detail.IsSuccess)
        {
            _vm = null;
            _notFound = detail.Error!.Message;
            return;
        }

        _notFound = null;
        _vm = detail.Value!.Vm;
        _history = detail.Value.History;
        _console = Access.Can(Domain.Identity.Permissions.VmConsole, new Domain.Projects.ProjectId(detail.Value!.Vm.ProjectId)) ? Feed.ConsoleTail(Id) : string.Empty;
    }

    protected override bool Apply(ClusterEvent change)
    {
        switch (change)
        {
            case VmChanged { Vm: var vm } when vm.Id == Id:
                var stateChanged = _vm?.State != vm.State;
                _vm = vm;
                if (stateChanged)
                {
                    // The change carries the VM, not its history: read the history again, only when the state moved.
                    _ = InvokeAsync(RefreshHistoryAsync);
                }

                return true;
            case ConsoleAppended { VmId: var vmId, Text: var text } when vmId == Id:
                _console = Tail(_console + text);
                return true;
            default:
                return false;
        }
    }

    private static string Tail(string text) =>
        text.Length > ClusterStateFeed.ConsoleTailChars ? text[^ClusterStateFeed.ConsoleTailChars..] : text;

    private async Task RefreshHistoryAsync()
    {
        var detail = await Queries.GetAsync(Id, Access, CancellationToken.None);
        if (detail.IsSuccess)
        {
            _history = detail.Value!.History;
            StateHasChanged();
        }
    }
}
