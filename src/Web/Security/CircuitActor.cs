using Microsoft.AspNetCore.Components.Authorization;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features;

namespace NovaCron.Web.Security;

/// <summary>The signed-in person of one Blazor circuit and what they may do, for pages and buttons. Scoped per circuit;
/// <see cref="RefreshAsync"/> reads the access again (after a membership change, for example).</summary>
public sealed class CircuitActor(AuthenticationStateProvider authentication, AccessResolver resolver)
{
    private Actor? _actor;

    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default) => _actor ??= await LoadAsync(cancellationToken);

    public async Task<Actor> RefreshAsync(CancellationToken cancellationToken = default) => _actor = await LoadAsync(cancellationToken);

    private async Task<Actor> LoadAsync(CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var access = await resolver.ResolveAsync(state.User, cancellationToken);
        return new Actor(access.UserName, "ui", access);
    }
}
