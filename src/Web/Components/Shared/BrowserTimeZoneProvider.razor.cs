using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace NovaCron.Web.Components.Shared;

/// <summary>Asks the browser for its time zone after the first interactive render and cascades it as a
/// <see cref="BrowserTimeZone"/>; until then times are shown in UTC and marked so.</summary>
public sealed partial class BrowserTimeZoneProvider : IAsyncDisposable
{
    private BrowserTimeZone _zone = BrowserTimeZone.Unknown;
    private IJSObjectReference? _module;

    [Inject]
    public required IJSRuntime Js { get; init; }

    /// <summary>Content that shows times.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            _module = await Js.InvokeAsync<IJSObjectReference>("import", "./Components/Shared/BrowserTimeZoneProvider.razor.js");
            if (_module is null)
            {
                return;
            }

            var reported = await _module.InvokeAsync<ReportedZone?>("timeZone");
            if (reported is null)
            {
                return;
            }

            _zone = BrowserTimeZone.From(reported.Id, reported.OffsetMinutes);
            StateHasChanged();
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            // Without the browser's zone the times stay in UTC, labelled as such.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
    }

    private sealed record ReportedZone(string? Id, int OffsetMinutes);
}
