using NovaCron.Web.Features.Admin.Projects;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Tokens;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin;

public static class AdministrationSetup
{
    /// <summary>Handlers and queries of users, projects, roles, API tokens and the audit log. All are singletons: each call
    /// makes its own short-lived context (or, for Identity's <c>UserManager</c>, its own scope).</summary>
    public static IServiceCollection AddNovaCronAdministration(this IServiceCollection services)
    {
        services.AddSingleton<UserQueries>();
        services.AddSingleton<CreateUserHandler>();
        services.AddSingleton<SetUserDisabledHandler>();
        services.AddSingleton<ResetPasswordHandler>();
        services.AddSingleton<SetGlobalRoleHandler>();
        services.AddSingleton<SetMembershipHandler>();
        services.AddSingleton<ProjectQueries>();
        services.AddSingleton<CreateProjectHandler>();
        services.AddSingleton<UpdateProjectHandler>();
        services.AddSingleton<DeleteProjectHandler>();
        services.AddSingleton<RoleQueries>();
        services.AddSingleton<CreateRoleHandler>();
        services.AddSingleton<SetRolePermissionsHandler>();
        services.AddSingleton<DeleteRoleHandler>();
        services.AddSingleton<TokenQueries>();
        services.AddSingleton<CreateTokenHandler>();
        services.AddSingleton<RevokeTokenHandler>();
        services.AddSingleton<AuditQueries>();
        return services;
    }
}
