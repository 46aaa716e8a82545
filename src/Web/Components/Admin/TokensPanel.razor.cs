using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Tokens;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>API tokens: the signed-in user's own (create, revoke), or with <see cref="Everyone"/> every user's (revoke).</summary>
public sealed partial class TokensPanel
{
    private IReadOnlyList<TokenView> _tokens = [];
    private string? _error;

    [Parameter]
    public bool Everyone { get; set; }

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required TokenQueries Queries { get; init; }

    [Inject]
    public required RevokeTokenHandler Revoke { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required TimeProvider Clock { get; init; }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private string StatusOf(TokenView token) =>
        token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= Clock.GetUtcNow() ? "expired" : "active";

    private async Task LoadAsync()
    {
        var result = await Queries.ListAsync(await CircuitActor.GetAsync(), Everyone, CancellationToken.None);
        _error = result.Error?.Message;
        _tokens = result.Value ?? [];
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateTokenDialog>("New API token", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: CreatedToken created })
        {
            await LoadAsync();
            var parameters = new DialogParameters<SecretDialog>
            {
                { d => d.Title, $"Token '{created.Token.Name}'" },
                { d => d.Secret, created.Secret },
                { d => d.Usage, "Send it with every API request:" },
                { d => d.UsageExample, "Authorization: Bearer " + created.Secret },
            };
            await Dialogs.ShowAsync<SecretDialog>("API token", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false });
        }
    }

    private async Task RevokeAsync(TokenView token)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Revoke token", $"Revoke '{token.Name}'? Requests using it fail from now on.", yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Revoke.HandleAsync(token.Id, await CircuitActor.GetAsync(), CancellationToken.None);
        _error = result.Error?.Message;
        await LoadAsync();
    }
}
