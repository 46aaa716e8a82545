using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Vms;
using NovaCron.Web.Features.Nodes;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Components.Pages;

/// <summary>Cluster summary: nodes online, VMs by state, allocated capacity and recent operations, all live.</summary>
public sealed partial class Dashboard
{
    private readonly Dictionary<Guid, NodeView> _nodes = [];
    private readonly Dictionary<Guid, VmView> _vms = [];

    [Inject]
    public required NodeQueries NodeQueries { get; init; }

    [Inject]
    public required VmQueries VmQueries { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private IEnumerable<NodeView> OnlineNodes => _nodes.Values.Where(n => n.Status == NodeStatus.Online);

    protected override async Task LoadAsync()
    {
        var nodes = Access.Can(Domain.Identity.Permissions.NodeRead) ? await NodeQueries.ListAsync(CancellationToken.None) : [];
        // The summary counts at most the first VmFilter.MaxLimit VMs; a larger cluster needs a count query.
        var vms = await VmQueries.ListAsync(new VmFilter(Limit: VmFilter.MaxLimit), Access, CancellationToken.None);
        _nodes.Clear();
        _vms.Clear();
        foreach (var node in nodes)
        {
            _nodes[node.Id] = node;
        }

        if (!vms.IsSuccess)
        {
            Snackbar.Add(vms.Error!.Message, Severity.Error);
            return;
        }

        foreach (var vm in vms.Value!.Items)
        {
            _vms[vm.Id] = vm;
        }
    }

    protected override bool Apply(ClusterEvent change)
    {
        switch (change)
        {
            case NodeChanged { Node: var node }:
                _nodes[node.Id] = node;
                return true;
            case VmChanged { Vm: var vm } when vm.State == VmState.Deleted:
                return _vms.Remove(vm.Id);
            case VmChanged { Vm: var vm }:
                _vms[vm.Id] = vm;
                return true;
            default:
                return false;
        }
    }
}
