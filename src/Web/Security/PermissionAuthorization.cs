using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Identity;

namespace NovaCron.Web.Security;

/// <summary>The one authorization mechanism: a policy per permission (<c>perm:vm.create</c>) checked against the caller's
/// <see cref="UserAccess"/>. Endpoints, hub methods and pages name the permission; handlers then check the project.</summary>
public static class PermissionPolicy
{
    public const string Prefix = "perm:";

    public static string For(string permission) => Prefix + permission;

    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(For(permission));
}

/// <summary>Requires a permission, somewhere (global, or in at least one project).</summary>
public sealed class PermissionRequirement(string permission) : IAuthorizationRequirement
{
    public string Permission { get; } = permission;
}

/// <summary>Checks <see cref="PermissionRequirement"/>; the access is resolved once per request or circuit.</summary>
public sealed class PermissionHandler(AccessResolver resolver) : AuthorizationHandler<PermissionRequirement>
{
    public const string AccessItemKey = "nc:access";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        UserAccess access;
        if (http?.Items[AccessItemKey] is UserAccess cached)
        {
            access = cached;
        }
        else
        {
            access = await resolver.ResolveAsync(context.User, http?.RequestAborted ?? CancellationToken.None);
            if (http is not null)
            {
                http.Items[AccessItemKey] = access;
            }
        }

        if (access.Can(requirement.Permission))
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>Creates <c>perm:*</c> policies on demand; unknown permissions fail loudly at start-up of the endpoint.</summary>
public sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName.StartsWith(PermissionPolicy.Prefix, StringComparison.Ordinal))
        {
            var permission = policyName[PermissionPolicy.Prefix.Length..];
            if (!Permissions.Exists(permission))
            {
                throw new InvalidOperationException($"Policy '{policyName}' names an unknown permission.");
            }

            return new AuthorizationPolicyBuilder(NovaCronClaims.Scheme).RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)).Build();
        }

        return await base.GetPolicyAsync(policyName);
    }
}
