using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Enrollment tokens (create, showing the secret once with the agent setting to put it in; list; revoke) and
/// revoking a node's credential. Over <see cref="EnrollmentService"/>.</summary>
public sealed partial class EnrollmentPage
{
    private IReadOnlyList<EnrollmentTokenView> _tokens = [];
    private string _description = string.Empty;
    private int? _hours = 24;
    private bool _singleUse = true;
    private string _nodeName = string.Empty;
    private string? _nodeMessage;
    private string? _error;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required EnrollmentService Enrollment { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required TimeProvider Clock { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private string StatusOf(EnrollmentTokenView token) =>
        token.RevokedAt is not null ? "revoked"
        : token.ExpiresAt <= Clock.GetUtcNow() ? "expired"
        : token.SingleUse && token.UsedAt is not null ? "used"
        : "usable";

    private async Task<Actor?> ManagerAsync()
    {
        var actor = await CircuitActor.GetAsync();
        if (actor.Access.Can(Permissions.NodeManage))
        {
            return actor;
        }

        _error = Error.MissingPermission(Permissions.NodeManage, "to enroll or revoke nodes").Message;
        return null;
    }

    private async Task LoadAsync()
    {
        if (await ManagerAsync() is not null)
        {
            _tokens = await Enrollment.ListAsync(CancellationToken.None);
        }
    }

    private async Task CreateAsync()
    {
        if (await ManagerAsync() is not { } actor)
        {
            return;
        }

        if (_hours is not { } hours || hours < 1 || hours > 720)
        {
            _error = "Enter how many whole hours the token stays valid: from 1 to 720 (30 days).";
            return;
        }

        var request = new CreateEnrollmentTokenRequest(_description, _singleUse, Clock.GetUtcNow().AddHours(hours));
        var result = await Enrollment.CreateAsync(request, actor, CancellationToken.None);
        _error = result.Error?.Message;
        if (result.Value is not { } created)
        {
            return;
        }

        await LoadAsync();
        var controlPlane = Navigation.BaseUri.TrimEnd('/');
        var parameters = new DialogParameters<SecretDialog>
        {
            { d => d.Title, "Enrollment token" },
            { d => d.Secret, created.Secret },
            { d => d.Usage, "Give it to the node agent, for example as environment variables of the agent's service:" },
            { d => d.UsageExample, $"Agent__ControlPlaneUrl={controlPlane}\nAgent__EnrollmentToken={created.Secret}" },
        };
        await Dialogs.ShowAsync<SecretDialog>("Enrollment token", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false });
    }

    private async Task RevokeAsync(EnrollmentTokenView token)
    {
        if (await ManagerAsync() is not { } actor)
        {
            return;
        }

        var result = await Enrollment.RevokeAsync(token.Id, actor, CancellationToken.None);
        _error = result.Error?.Message;
        await LoadAsync();
    }

    private async Task RevokeNodeAsync()
    {
        if (await ManagerAsync() is not { } actor || string.IsNullOrWhiteSpace(_nodeName))
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync("Revoke node credential", $"Disconnect node '{_nodeName}' and refuse its agent?", yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Enrollment.RevokeNodeCredentialsAsync(_nodeName.Trim(), actor, CancellationToken.None);
        _nodeMessage = result.IsSuccess ? $"Revoked {result.Value} credential(s) of '{_nodeName}'." : result.Error!.Message;
    }
}
