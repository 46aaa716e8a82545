using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Agents;

/// <summary>An enrollment token as listed: never its secret.</summary>
public sealed record EnrollmentTokenView(
    Guid Id,
    string Description,
    bool SingleUse,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    string? UsedByNode,
    DateTimeOffset? RevokedAt)
{
    public static EnrollmentTokenView From(EnrollmentToken t) =>
        new(t.Id, t.Description, t.SingleUse, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.UsedAt, t.UsedByNode, t.RevokedAt);
}

/// <summary>A newly created enrollment token with its secret, shown this once.</summary>
public sealed record CreatedEnrollmentToken(EnrollmentTokenView Token, string Secret);

/// <summary>Asks for an enrollment token; <see cref="ExpiresAt"/> defaults to 24 hours from now.</summary>
public sealed record CreateEnrollmentTokenRequest(string? Description, bool SingleUse = true, DateTimeOffset? ExpiresAt = null);

/// <summary>How hosts join and leave: enrollment tokens administrators hand out, the node credentials agents trade
/// them for, and revoking either. Revoking a node's credential also ends its live connection.</summary>
public sealed class EnrollmentService(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    AgentConnections connections,
    AuditLog audit,
    TimeProvider clock)
{
    public async Task<Result<CreatedEnrollmentToken>> CreateAsync(CreateEnrollmentTokenRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var created = EnrollmentToken.Create(request.Description ?? string.Empty, request.SingleUse, request.ExpiresAt ?? now.AddHours(24), actor.Name, now);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        var (token, secret) = created.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.EnrollmentTokens.Add(token);
        await audit.RecordAsync(db, actor, "enrollment-token.create", "enrollment-token", token.Id.ToString(), token.Description, null, AuditResult.Succeeded,
            token.SingleUse ? "single use" : "reusable until expiry", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedEnrollmentToken(EnrollmentTokenView.From(token), secret);
    }

    public async Task<IReadOnlyList<EnrollmentTokenView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await db.EnrollmentTokens.AsNoTracking().ToListAsync(cancellationToken);
        return [.. tokens.OrderByDescending(t => t.CreatedAt).Select(EnrollmentTokenView.From)];
    }

    public async Task<Result<EnrollmentTokenView>> RevokeAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.EnrollmentTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return Error.NotFound("enrollment-token.not-found", $"There is no enrollment token {id}.");
        }

        token.Revoke(clock.GetUtcNow());
        await audit.RecordAsync(db, actor, "enrollment-token.revoke", "enrollment-token", token.Id.ToString(), token.Description, null, AuditResult.Succeeded, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return EnrollmentTokenView.From(token);
    }

    /// <summary>Revokes every credential of the node and disconnects it; the node goes Offline and is refused until it
    /// enrolls again with a new enrollment token.</summary>
    public async Task<Result<int>> RevokeNodeCredentialsAsync(string nodeName, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credentials = await db.NodeCredentials.Where(c => c.NodeName == nodeName).ToListAsync(cancellationToken);
        var usable = credentials.Where(c => c.IsUsable).ToList();
        if (usable.Count == 0)
        {
            return Error.NotFound("node-credential.not-found", $"Node {nodeName} has no credential to revoke.");
        }

        var now = clock.GetUtcNow();
        usable.ForEach(c => c.Revoke(now));
        await audit.RecordAsync(db, actor, "node.revoke-credential", "node", null, nodeName, null, AuditResult.Succeeded, $"{usable.Count} credential(s) revoked", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        connections.AbortNode(nodeName);
        return usable.Count;
    }

    /// <summary>Redeems the enrollment grant of a connection from <paramref name="address"/> for a new credential of
    /// <paramref name="nodeName"/>. Every enrollment and every refusal is audited.</summary>
    public async Task<Result<EnrollResult>> EnrollAsync(AgentGrant grant, string nodeName, string address, CancellationToken cancellationToken)
    {
        var valid = ResourceName.Validate(nodeName, "node");
        var named = valid.IsSuccess ? nodeName : null;
        var actor = new Actor($"node:{named ?? "(invalid name)"}", $"agent {named ?? address}", Domain.Identity.UserAccess.None);
        var enrolled = valid.IsSuccess ? await IssueCredentialAsync(grant, nodeName, actor, address, cancellationToken) : valid.Error!;
        if (!enrolled.IsSuccess)
        {
            // Recorded on its own once the enrollment's transaction has ended: on SQLite that transaction holds the write lock.
            var error = enrolled.Error!;
            await audit.RecordRefusalAsync(actor, "node.enroll", "node", null, named, null,
                error with { Message = $"refused {DescribeGrant(grant)} from {address}: {error.Message}" }, cancellationToken);
        }

        return enrolled;
    }

    private async Task<Result<EnrollResult>> IssueCredentialAsync(AgentGrant grant, string nodeName, Actor actor, string address, CancellationToken cancellationToken)
    {
        if (!grant.CanEnroll)
        {
            return Error.Forbidden("enrollment.not-enrollment-token", "Only a connection holding an enrollment token can enroll.");
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The checks below read, the token's consumption writes: one transaction, so a refused or failed enrollment
        // leaves the token unused and the credential is never issued without it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var credentials = await db.NodeCredentials.AsNoTracking().Where(c => c.NodeName == nodeName).Select(c => c.RevokedAt).ToListAsync(cancellationToken);
        if (credentials.Any(revokedAt => revokedAt is null))
        {
            return Error.Conflict("enrollment.node-has-credential",
                $"Node {nodeName} is already enrolled. Revoke its credential (POST /api/v1/nodes/{nodeName}/revoke-credential) before enrolling it again.");
        }

        if (grant.EnrollmentTokenId is not { } tokenId)
        {
            // Everyone who can read the control plane's configuration holds that token; if it could re-enroll a
            // revoked node, revoking would last only until the agent reconnects.
            if (credentials.Count > 0)
            {
                return Error.Forbidden("enrollment.revoked-node-needs-token",
                    $"Node {nodeName} had its credential revoked, so it may enroll again only with an enrollment token an administrator creates " +
                    "(/admin/nodes/enrollment or POST /api/v1/enrollment-tokens), not with the configuration token Agents:EnrollmentToken.");
            }
        }
        else
        {
            var token = await db.EnrollmentTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
            if (token is null)
            {
                return Error.Validation("enrollment.unknown", "This enrollment token no longer exists.");
            }

            var redeemable = token.CheckRedeemable(now);
            if (!redeemable.IsSuccess)
            {
                return redeemable.Error!;
            }

            if (!await db.EnrollmentTokens.TryConsumeAsync(tokenId, nodeName, now, cancellationToken))
            {
                // Another enrollment consumed the token, or an administrator revoked it, since it was read.
                var current = await db.EnrollmentTokens.AsNoTracking().SingleAsync(t => t.Id == tokenId, cancellationToken);
                return current.CheckRedeemable(now).Error ?? EnrollmentToken.UsedError;
            }
        }

        var (credential, secret) = NodeCredential.Issue(nodeName, now);
        db.NodeCredentials.Add(credential);
        await audit.RecordAsync(db, actor, "node.enroll", "node", null, nodeName, null, AuditResult.Succeeded,
            $"enrolled with {DescribeGrant(grant)} from {address}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new EnrollResult(secret, nodeName);
    }

    private static string DescribeGrant(AgentGrant grant) =>
        grant.EnrollmentTokenId is { } id ? $"enrollment token {id}" : grant.CanEnroll ? "the configuration token Agents:EnrollmentToken" : $"the credential of node {grant.NodeName}";
}
