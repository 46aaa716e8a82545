using AngleSharp.Dom;
using Bunit;

namespace NovaCron.Web.Tests.Support;

internal static class RenderedExtensions
{
    public static IElement ByTestId<T>(this IRenderedComponent<T> rendered, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent => rendered.Find($"[data-testid='{testId}']");

    public static bool HasTestId<T>(this IRenderedComponent<T> rendered, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent => rendered.FindAll($"[data-testid='{testId}']").Count > 0;

    /// <summary>The validation messages MudBlazor shows under invalid fields.</summary>
    public static IReadOnlyList<string> ValidationMessages<T>(this IRenderedComponent<T> rendered)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        [.. rendered.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim())];
}
