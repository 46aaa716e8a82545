using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Security;

/// <summary>Turns a principal into its <see cref="UserAccess"/>: the global role's permissions and the permissions of
/// each project membership, narrowed by the API token when there is one. Disabled or unknown users get no access. Results are kept briefly in
/// <see cref="AccessCache{TValue}"/>, which forgets them the moment anything access-related changes.</summary>
public sealed class AccessResolver(IDbContextFactory<NovaCronDbContext> dbFactory, AccessCache<UserAccess> cache)
{
    public Task<UserAccess> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.Identity?.IsAuthenticated != true || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return Task.FromResult(UserAccess.None);
        }

        var tokenLimit = principal.FindFirstValue(NovaCronClaims.TokenPermissions);
        DateTimeOffset? tokenExpires = long.TryParse(principal.FindFirstValue(NovaCronClaims.TokenExpiresAt), out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        return cache.GetOrLoadAsync($"{userId}|{tokenLimit}|{seconds}", () => LoadAsync(userId, tokenLimit, tokenExpires, cancellationToken));
    }

    private async Task<UserAccess> LoadAsync(Guid userId, string? tokenLimit, DateTimeOffset? tokenExpires, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.DisabledAt is not null)
        {
            return UserAccess.None;
        }

        var roles = await db.AccessRoles.AsNoTracking().ToListAsync(cancellationToken);
        var permissionsOf = roles.ToDictionary(r => r.Id.Value, r => r.Permissions);
        var global = user.GlobalRoleId is { } roleId && permissionsOf.TryGetValue(roleId, out var granted) ? granted : [];
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        return new UserAccess(
            userId,
            user.UserName ?? userId.ToString(),
            global,
            memberships.Select(m => (m.ProjectId, (IEnumerable<string>)(permissionsOf.TryGetValue(m.RoleId.Value, out var p) ? p : []))),
            tokenLimit?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            tokenExpires);
    }
}
