namespace NovaCron.Web.Components.Shared;

/// <summary>The time zone of the user's browser, cascaded by <see cref="BrowserTimeZoneProvider"/>.</summary>
/// <param name="Zone">The browser's zone; <see cref="TimeZoneInfo.Utc"/> until the browser has told us.</param>
/// <param name="IsKnown">False while the zone is not known yet (prerendering, or before the first interactive render).</param>
public sealed record BrowserTimeZone(TimeZoneInfo Zone, bool IsKnown)
{
    public static readonly BrowserTimeZone Unknown = new(TimeZoneInfo.Utc, false);

    /// <summary>Formats a UTC instant in this zone; "UTC" is appended while the zone is unknown.</summary>
    public string Format(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        return IsKnown ? local.ToString("yyyy-MM-dd HH:mm:ss") : local.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
    }

    /// <summary>Builds the zone from what the browser reports: its IANA id when the server knows it, else its current
    /// offset (right for today, possibly an hour off for instants on the other side of a daylight-saving change).</summary>
    public static BrowserTimeZone From(string? ianaId, int offsetMinutesEastOfUtc)
    {
        if (!string.IsNullOrWhiteSpace(ianaId) && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone))
        {
            return new BrowserTimeZone(zone, true);
        }

        var offset = TimeSpan.FromMinutes(offsetMinutesEastOfUtc);
        return new BrowserTimeZone(TimeZoneInfo.CreateCustomTimeZone($"UTC{offset:+hh\\:mm;-hh\\:mm}", offset, null, null), true);
    }
}
