using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features.Admin.Tokens;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Asks for a token's name, expiry and optionally a subset of the permissions the user holds; closes with the
/// <see cref="CreatedToken"/>, whose secret the caller shows once.</summary>
public sealed partial class CreateTokenDialog
{
    private readonly HashSet<string> _chosen = new(StringComparer.Ordinal);
    private IReadOnlyList<PermissionInfo> _held = [];
    private string _name = string.Empty;
    private DateTime? _expires;
    private bool _limit;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required CreateTokenHandler Handler { get; init; }

    [Inject]
    public required TimeProvider Clock { get; init; }

    private DateTime Today => Clock.GetUtcNow().UtcDateTime.Date;

    protected override async Task OnInitializedAsync()
    {
        var actor = await CircuitActor.GetAsync();
        _held = [.. Permissions.All.Where(p => actor.Access.Holds(p.Name))];
        _expires = Today.AddDays(90);
    }

    private void Toggle(string permission, bool on)
    {
        if (on)
        {
            _chosen.Add(permission);
        }
        else
        {
            _chosen.Remove(permission);
        }
    }

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        // The chosen day counts in full: the token works until the end of it (UTC).
        var expiresAt = new DateTimeOffset((_expires ?? Today.AddDays(90)).Date.AddDays(1).AddTicks(-1), TimeSpan.Zero);
        var maxExpiry = Clock.GetUtcNow().AddDays(ApiToken.MaxLifetimeDays);
        if (expiresAt > maxExpiry)
        {
            expiresAt = maxExpiry;
        }

        var request = new CreateTokenRequest(_name, expiresAt, _limit ? [.. _chosen] : null);
        return await Handler.HandleAsync(request, await CircuitActor.GetAsync(), CancellationToken.None);
    });
}
