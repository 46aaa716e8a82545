using Microsoft.AspNetCore.Components;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Operations;
using NovaCron.Web.Realtime;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Shared;

/// <summary>Base of components that show a snapshot from the query classes and then follow <see cref="ClusterStateFeed"/>.
/// It subscribes before loading and replays the changes that arrived while loading, so nothing published between the
/// read and the subscription is lost. Changes are applied on the renderer's context, never concurrently with a render.
/// When access data changes anywhere, the person's access is read again and, if theirs changed, the snapshot too: a
/// removed membership hides that project at once in an open tab, and its live changes stop.</summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private readonly List<ClusterEvent> _pending = [];
    private IDisposable? _subscription;
    private bool _loading;
    private bool _hasLoaded;
    private object? _loadedKey;

    [Inject]
    public required ClusterStateFeed Feed { get; init; }

    [Inject]
    public required CircuitActor Circuit { get; init; }

    [Inject]
    public required Infrastructure.Persistence.AccessChangeSignal AccessChanges { get; init; }

    /// <summary>The signed-in person and what they may do; loaded before the first snapshot.</summary>
    protected Actor Actor { get; private set; } = new("anonymous", "ui", UserAccess.None);

    protected UserAccess Access => Actor.Access;

    /// <summary>What the snapshot depends on (for example a route id); the snapshot is read again when it changes.</summary>
    protected virtual object? SnapshotKey => null;

    protected override void OnInitialized()
    {
        _subscription = Feed.Subscribe(change => InvokeAsync(() => Receive(change)));
        AccessChanges.Changed += OnAccessChanged;
    }

    private void OnAccessChanged() => _ = InvokeAsync(ReloadIfAccessChangedAsync);

    private async Task ReloadIfAccessChangedAsync()
    {
        if (!_hasLoaded || _loading)
        {
            return;
        }

        // The circuit's actor rereads access once per change however many live components the page shows.
        var before = Actor.Access;
        var actor = await Circuit.GetAsync();
        if (actor.Access.SameAs(before))
        {
            return;
        }

        await LoadSnapshotAsync(actor);
        StateHasChanged();
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = SnapshotKey;
        if (_hasLoaded && Equals(key, _loadedKey))
        {
            return;
        }

        await LoadSnapshotAsync(await Circuit.GetAsync());
        _loadedKey = key;
    }

    /// <summary>Reads the snapshot as <paramref name="actor"/>, holding back changes that arrive meanwhile and applying
    /// them afterwards.</summary>
    private async Task LoadSnapshotAsync(Actor actor)
    {
        _loading = true;
        try
        {
            Actor = actor;
            await LoadAsync();
        }
        finally
        {
            _loading = false;
            _hasLoaded = true;
        }

        foreach (var change in _pending)
        {
            Apply(change);
        }

        _pending.Clear();
    }

    /// <summary>Reads the snapshot from the query classes, replacing whatever was shown (it runs again when the
    /// person's access changes).</summary>
    protected abstract Task LoadAsync();

    /// <summary>Applies one change to the snapshot; returns whether anything shown changed.</summary>
    protected abstract bool Apply(ClusterEvent change);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription?.Dispose();
            AccessChanges.Changed -= OnAccessChanged;
        }
    }

    /// <summary>The one place that decides which live changes this person may see.</summary>
    private bool MaySee(ClusterEvent change) => change switch
    {
        VmChanged e => Access.Can(Permissions.VmRead, new Domain.Projects.ProjectId(e.Vm.ProjectId)),
        OperationChanged e => OperationQueries.CanSee(Access, e.Operation),
        NodeChanged => Access.Can(Permissions.NodeRead),
        ConsoleAppended e => Access.Can(Permissions.VmConsole, new Domain.Projects.ProjectId(e.ProjectId)),
        _ => true,
    };

    private void Receive(ClusterEvent change)
    {
        if (!MaySee(change))
        {
            return;
        }

        if (_loading || !_hasLoaded)
        {
            _pending.Add(change);
            return;
        }

        if (Apply(change))
        {
            StateHasChanged();
        }
    }
}
