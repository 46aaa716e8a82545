using Microsoft.AspNetCore.Components.Authorization;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features;

namespace NovaCron.Web.Security;

/// <summary>The signed-in person of one Blazor circuit and what they may do, for pages and buttons. Scoped per circuit.
/// The access is read again after <see cref="MaxAge"/>, so a disabled user or a removed membership takes effect in an
/// open browser tab too; <see cref="RefreshAsync"/> reads it at once.</summary>
public sealed class CircuitActor(AuthenticationStateProvider authentication, AccessResolver resolver, CircuitSource? source = null)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private Actor? _actor;
    private long _loadedAt;

    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default) =>
        _actor is not null && Environment.TickCount64 - _loadedAt < MaxAge.TotalMilliseconds ? _actor : await RefreshAsync(cancellationToken);

    public async Task<Actor> RefreshAsync(CancellationToken cancellationToken = default)
    {
        _actor = await LoadAsync(cancellationToken);
        _loadedAt = Environment.TickCount64;
        return _actor;
    }

    private async Task<Actor> LoadAsync(CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var access = await resolver.ResolveAsync(state.User, cancellationToken);
        return new Actor(access.UserName, source?.Value ?? "ui", access);
    }
}
