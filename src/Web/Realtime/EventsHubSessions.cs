using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Security;

namespace NovaCron.Web.Realtime;

/// <summary>Keeps every <see cref="EventsHub"/> connection's rights current for as long as it stays open. A connection
/// is checked again whenever access data changes (a role, a membership, a token, a user) and every half minute (for
/// tokens that expire and sign-ins whose password was reset): it moves to the groups it is now allowed, or is closed
/// when its token was revoked or expired, its user disabled, its sign-in outdated or its right to read VMs gone.</summary>
public sealed partial class EventsHubSessions(
    AccessChangeSignal changes,
    AccessResolver resolver,
    IHubContext<EventsHub> hub,
    IDbContextFactory<NovaCronDbContext> dbFactory,
    TimeProvider clock,
    ILogger<EventsHubSessions> logger) : BackgroundService
{
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>The groups a connection is in now; null once it is closed or unknown.</summary>
    public IReadOnlyCollection<string>? GroupsOf(string connectionId) => _sessions.TryGetValue(connectionId, out var session) ? session.Groups : null;

    public void Add(HubCallerContext context, IReadOnlyCollection<string> groups) => _sessions[context.ConnectionId] = new Session(context, groups);

    public void Remove(string connectionId) => _sessions.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        changes.Changed += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(Sweep, stoppingToken);
                foreach (var session in _sessions.Values)
                {
                    try
                    {
                        await RecheckAsync(session, stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Failing closed: a connection whose rights cannot be checked is not kept.
                        LogRecheckFailed(logger, ex, session.Context.ConnectionId);
                        session.Context.Abort();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            changes.Changed -= Wake;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another change woke the loop already; one pass covers both.
            }
        }
    }

    private async Task RecheckAsync(Session session, CancellationToken cancellationToken)
    {
        var user = session.Context.User ?? new ClaimsPrincipal();
        var access = await resolver.ResolveAsync(user, cancellationToken);
        if (!access.Can(Permissions.VmRead) || !await CredentialStillValidAsync(user, cancellationToken))
        {
            LogClosed(logger, session.Context.ConnectionId, access.UserName);
            _sessions.TryRemove(session.Context.ConnectionId, out _);
            session.Context.Abort();
            return;
        }

        var groups = EventsHub.GroupsFor(access).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in session.Groups.Except(groups))
        {
            await hub.Groups.RemoveFromGroupAsync(session.Context.ConnectionId, gone, cancellationToken);
        }

        foreach (var added in groups.Except(session.Groups))
        {
            await hub.Groups.AddToGroupAsync(session.Context.ConnectionId, added, cancellationToken);
        }

        _sessions.TryUpdate(session.Context.ConnectionId, session with { Groups = groups }, session);
    }

    /// <summary>An API token must still be usable; a cookie sign-in must still carry the user's current security stamp
    /// (a password reset or change ends it).</summary>
    private async Task<bool> CredentialStillValidAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (Guid.TryParse(user.FindFirstValue(NovaCronClaims.TokenId), out var tokenId))
        {
            var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
            return token?.IsUsable(clock.GetUtcNow()) == true;
        }

        var stamp = user.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType);
        if (stamp is null || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return true;
        }

        return await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.SecurityStamp == stamp, cancellationToken);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private sealed record Session(HubCallerContext Context, IReadOnlyCollection<string> Groups);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed live-events connection {ConnectionId} of {User}: its access no longer allows it")]
    private static partial void LogClosed(ILogger logger, string connectionId, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not recheck live-events connection {ConnectionId}; closed it")]
    private static partial void LogRecheckFailed(ILogger logger, Exception exception, string connectionId);
}
