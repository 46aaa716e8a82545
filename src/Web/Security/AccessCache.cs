using System.Collections.Concurrent;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Security;

/// <summary>Keeps what authentication and authorization read from the database (an API token with its owner, a user's
/// resolved access) for a few seconds, so a burst of API calls does not repeat the same five queries. Any committed
/// change to users, roles, memberships, projects or tokens (<see cref="AccessChangeSignal"/>) drops every entry at
/// once, so a revoke, a disable or a role change applies to the very next request.</summary>
public sealed class AccessCache<TValue>(AccessChangeSignal changes, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>Bound on remembered entries; past it the cache starts over rather than grow.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<TValue> GetOrLoadAsync(string key, Func<Task<TValue>> load)
    {
        // The generation is read before loading: a change that commits meanwhile makes this entry stale at once.
        var generation = changes.Generation;
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation && entry.Expires > now)
        {
            return entry.Value;
        }

        var value = await load();
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(value, generation, now + Lifetime);
        return value;
    }

    private sealed record Entry(TValue Value, long Generation, DateTimeOffset Expires);
}
