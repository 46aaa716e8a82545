using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace NovaCron.Web.Components.Admin;

/// <summary>Shows a new secret (API token, enrollment token) once, with a copy button and optionally how to use it.</summary>
public sealed partial class SecretDialog
{
    private bool _copied;

    [CascadingParameter]
    public IMudDialogInstance? Dialog { get; set; }

    [Parameter]
    [EditorRequired]
    public string Title { get; set; } = string.Empty;

    [Parameter]
    [EditorRequired]
    public string Secret { get; set; } = string.Empty;

    /// <summary>A sentence saying where the secret goes.</summary>
    [Parameter]
    public string? Usage { get; set; }

    /// <summary>The exact setting or command, shown under <see cref="Usage"/>.</summary>
    [Parameter]
    public string? UsageExample { get; set; }

    [Inject]
    public required IJSRuntime Js { get; init; }

    private async Task CopyAsync()
    {
        try
        {
            await Js.InvokeVoidAsync("navigator.clipboard.writeText", Secret);
            _copied = true;
        }
        catch (JSException)
        {
            // The browser refused the clipboard (no permission or not a secure context): the field can still be selected.
            _copied = false;
        }
    }

    private void Close() => Dialog?.Close(DialogResult.Ok(true));
}
