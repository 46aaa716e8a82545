using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Components.Shared;
using NovaCron.Web.Features.Operations;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Components.Operations;

/// <summary>Operations newest first, following progress live. Optionally limited to one VM, and optionally expandable to
/// show an operation's log.</summary>
public sealed partial class OperationList
{
    private List<OperationView> _operations = [];
    private OperationDetail? _expanded;

    [Inject]
    public required OperationQueries Queries { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    /// <summary>Only operations on this VM; null for all.</summary>
    [Parameter]
    public Guid? VmId { get; set; }

    /// <summary>How many of the newest operations are shown.</summary>
    [Parameter]
    public int Limit { get; set; } = 50;

    /// <summary>Whether clicking a row shows its log.</summary>
    [Parameter]
    public bool Expandable { get; set; }

    /// <summary>Whether the target column is shown (pointless on a VM's own page).</summary>
    [Parameter]
    public bool ShowTarget { get; set; } = true;

    protected override object? SnapshotKey => (VmId, Limit);

    protected override async Task LoadAsync()
    {
        var page = await Queries.ListAsync(new OperationFilter(VmId, Limit: Limit), Access, CancellationToken.None);
        if (page.IsSuccess)
        {
            _operations = [.. page.Value!.Items];
        }
        else
        {
            _operations = [];
            Snackbar.Add(page.Error!.Message, Severity.Error);
        }
    }

    protected override bool Apply(ClusterEvent change)
    {
        if (change is not OperationChanged { Operation: var operation } changed || (VmId is { } vm && operation.VmId != vm))
        {
            return false;
        }

        var index = _operations.FindIndex(o => o.Id == operation.Id);
        if (index >= 0)
        {
            _operations[index] = operation;
        }
        else
        {
            _operations.Insert(0, operation);
            _operations.Sort((a, b) => b.QueuedAt.CompareTo(a.QueuedAt));
            if (_operations.Count > Limit)
            {
                _operations.RemoveRange(Limit, _operations.Count - Limit);
            }
        }

        if (_expanded is { } detail && detail.Operation.Id == operation.Id)
        {
            _expanded = changed.LogLine is { } line
                ? new OperationDetail(operation, [.. detail.Log, new Domain.Operations.OperationLogLine(changed.At, line)])
                : detail with { Operation = operation };
        }

        return true;
    }

    private async Task ToggleAsync(TableRowClickEventArgs<OperationView> row)
    {
        if (!Expandable || row.Item is not { } operation)
        {
            return;
        }

        if (_expanded?.Operation.Id == operation.Id)
        {
            _expanded = null;
            return;
        }

        var detail = await Queries.GetAsync(operation.Id, Access, CancellationToken.None);
        if (detail.IsSuccess)
        {
            _expanded = detail.Value;
        }
        else
        {
            Snackbar.Add(detail.Error!.Message, Severity.Error);
        }
    }
}
