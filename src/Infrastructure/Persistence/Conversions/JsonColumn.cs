using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace NovaCron.Infrastructure.Persistence.Conversions;

/// <summary>Small collections stored as a JSON text column, with comparers that compare contents so that
/// changes made in place (a label set on a tracked node) are detected and saved.</summary>
public static class JsonColumn
{
    public static readonly ValueConverter<IReadOnlyList<string>, string> StringListConverter = new(
        list => JsonSerializer.Serialize(list, JsonSerializerOptions.Default),
        json => DeserializeList(json));

    public static readonly ValueComparer<IReadOnlyList<string>> StringListComparer = new(
        (left, right) => ListEquals(left, right),
        list => ListHash(list),
        list => list.ToArray());

    /// <summary>For a private <see cref="List{T}"/> field behind a read-only list property (role and token permissions).</summary>
    public static readonly ValueConverter<List<string>, string> MutableStringListConverter = new(
        list => JsonSerializer.Serialize(list, JsonSerializerOptions.Default),
        json => DeserializeMutableList(json));

    public static readonly ValueComparer<List<string>> MutableStringListComparer = new(
        (left, right) => ListEquals(left, right),
        list => ListHash(list),
        list => list.ToList());

    public static readonly ValueConverter<Dictionary<string, string>, string> StringMapConverter = new(
        map => JsonSerializer.Serialize(map, JsonSerializerOptions.Default),
        json => DeserializeMap(json));

    public static readonly ValueComparer<Dictionary<string, string>> StringMapComparer = new(
        (left, right) => MapEquals(left, right),
        map => MapHash(map),
        map => new Dictionary<string, string>(map, StringComparer.Ordinal));

    /// <summary>An immutable record (value equality) stored as JSON, such as a VM's size before a resize.</summary>
    public static ValueConverter<T?, string> RecordConverter<T>()
        where T : class => new(
        value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default),
        json => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Default));

    private static string[] DeserializeList(string json) =>
        JsonSerializer.Deserialize<string[]>(json, JsonSerializerOptions.Default) ?? [];

    private static List<string> DeserializeMutableList(string json) =>
        JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Default) ?? [];

    private static Dictionary<string, string> DeserializeMap(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default) ?? [], StringComparer.Ordinal);

    private static bool ListEquals(IReadOnlyList<string>? left, IReadOnlyList<string>? right) =>
        ReferenceEquals(left, right) || (left is not null && right is not null && left.SequenceEqual(right, StringComparer.Ordinal));

    private static int ListHash(IReadOnlyList<string> list)
    {
        var hash = new HashCode();
        foreach (var item in list)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static bool MapEquals(Dictionary<string, string>? left, Dictionary<string, string>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static int MapHash(Dictionary<string, string> map)
    {
        // Order-independent, so two maps with the same entries hash alike.
        var hash = 0;
        foreach (var (key, value) in map)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), StringComparer.Ordinal.GetHashCode(value));
        }

        return hash;
    }
}
