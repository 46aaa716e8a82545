using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Audit;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Realtime;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>The audit log, filtered and paged on the server, newest first. A new record (<see cref="AuditRecorded"/>)
/// makes the page query again, so it appears without a reload. Exports go through <c>GET /api/v1/audit?format=</c>.</summary>
public sealed partial class AuditPage : IDisposable
{
    private MudTable<AuditView>? _table;
    private IDisposable? _subscription;
    private IReadOnlyList<(Guid Id, string Name)> _projects = [];
    private DateTime? _from;
    private DateTime? _to;
    private string? _actor;
    private string? _action;
    private string? _target;
    private Guid? _project;
    private AuditResult? _result;
    private string? _error;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required AuditQueries Queries { get; init; }

    [Inject]
    public required ClusterStateFeed Feed { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _subscription = Feed.Subscribe(change => change is AuditRecorded ? InvokeAsync(ReloadAsync) : Task.CompletedTask);
        _projects = await Queries.ProjectNamesAsync(await CircuitActor.GetAsync(), CancellationToken.None);
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>The filter as entered; dates are whole UTC days, the end day included.</summary>
    internal AuditFilter Filter(int offset = 0, int limit = 50) => new(
        _from is { } from ? new DateTimeOffset(from.Date, TimeSpan.Zero) : null,
        _to is { } to ? new DateTimeOffset(to.Date.AddDays(1).AddTicks(-1), TimeSpan.Zero) : null,
        _actor,
        _action,
        _target,
        _project,
        _result,
        offset,
        limit);

    private string ProjectName(Guid? id) => _projects.FirstOrDefault(p => p.Id == id).Name ?? string.Empty;

    private async Task<TableData<AuditView>> LoadPageAsync(TableState state, CancellationToken cancellationToken)
    {
        var page = await Queries.ListAsync(Filter(state.Page * state.PageSize, state.PageSize), await CircuitActor.GetAsync(cancellationToken), cancellationToken);
        _error = page.Error?.Message;
        return page.Value is { } found
            ? new TableData<AuditView> { Items = found.Items, TotalItems = found.Total }
            : new TableData<AuditView> { Items = [], TotalItems = 0 };
    }

    private async Task FilterAsync(Action set)
    {
        set();
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private string ExportUrl(string format)
    {
        var filter = Filter();
        var query = new List<string> { $"format={format}" };
        Add(query, "from", filter.From?.ToString("O"));
        Add(query, "to", filter.To?.ToString("O"));
        Add(query, "actor", filter.Actor);
        Add(query, "action", filter.Action);
        Add(query, "target", filter.Target);
        Add(query, "projectId", filter.ProjectId?.ToString());
        Add(query, "result", filter.Result?.ToString());
        return "/api/v1/audit?" + string.Join('&', query);
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
