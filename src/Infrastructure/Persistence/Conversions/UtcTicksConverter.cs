using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace NovaCron.Infrastructure.Persistence.Conversions;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks; values come back in UTC (the offset is not kept, we store UTC anyway).</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
