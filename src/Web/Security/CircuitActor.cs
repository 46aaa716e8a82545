using Microsoft.AspNetCore.Components.Authorization;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features;

namespace NovaCron.Web.Security;

/// <summary>The signed-in person of one Blazor circuit and what they may do, for pages and buttons. Scoped per circuit.
/// The access is read again as soon as any access data changed (a removed membership, a disabled user, a new role), so
/// an action clicked in an open tab is checked against what the person may do now, and at the latest after
/// <see cref="MaxAge"/>; <see cref="RefreshAsync"/> reads it at once.</summary>
public sealed class CircuitActor(AuthenticationStateProvider authentication, AccessResolver resolver, Infrastructure.Persistence.AccessChangeSignal changes, CircuitSource? source = null)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private Actor? _actor;
    private long _loadedAt;
    private long _generation;

    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default) =>
        _actor is not null && _generation == changes.Generation && Environment.TickCount64 - _loadedAt < MaxAge.TotalMilliseconds
            ? _actor
            : await RefreshAsync(cancellationToken);

    public async Task<Actor> RefreshAsync(CancellationToken cancellationToken = default)
    {
        // The generation is read first: a change committing during the load makes the next call load again.
        var generation = changes.Generation;
        _actor = await LoadAsync(cancellationToken);
        _loadedAt = Environment.TickCount64;
        _generation = generation;
        return _actor;
    }

    private async Task<Actor> LoadAsync(CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var access = await resolver.ResolveAsync(state.User, cancellationToken);
        return new Actor(access.UserName, source?.Value ?? "ui", access);
    }
}
