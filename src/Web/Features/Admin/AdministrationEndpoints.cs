using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Features.Admin.Projects;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Tokens;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Security;

namespace NovaCron.Web.Features.Admin;

/// <summary>REST endpoints of administration. Each names the permission it needs; the handlers check it again with the
/// project where one applies (a project manager changes members of their own projects only).</summary>
public static class AdministrationEndpoints
{
    public static RouteGroupBuilder MapAdministrationEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListUsersAsync).WithName("ListUsers").RequirePermission(Permissions.UserManage);
        users.MapGet("/{id:guid}", async (Guid id, UserQueries queries, HttpContext http, CancellationToken ct) =>
            (await queries.ListAsync(await ApiActor.OfAsync(http), ct)).OneOf(u => u.Id, id, "user")).WithName("GetUser").RequirePermission(Permissions.UserManage);
        users.MapPost("/", CreateUserAsync).WithName("CreateUser").RequirePermission(Permissions.UserManage);
        users.MapPost("/{id:guid}/disable", (Guid id, SetUserDisabledHandler handler, HttpContext http, CancellationToken ct) => SetDisabledAsync(id, true, handler, http, ct))
            .WithName("DisableUser").RequirePermission(Permissions.UserManage);
        users.MapPost("/{id:guid}/enable", (Guid id, SetUserDisabledHandler handler, HttpContext http, CancellationToken ct) => SetDisabledAsync(id, false, handler, http, ct))
            .WithName("EnableUser").RequirePermission(Permissions.UserManage);
        users.MapPost("/{id:guid}/reset-password", ResetPasswordAsync).WithName("ResetUserPassword").RequirePermission(Permissions.UserManage);
        users.MapPut("/{id:guid}/global-role", SetGlobalRoleAsync).WithName("SetUserGlobalRole").RequirePermission(Permissions.UserManage);

        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/", ListProjectsAsync).WithName("ListProjects").RequirePermission(Permissions.ProjectManage);
        projects.MapGet("/{id:guid}", async (Guid id, ProjectQueries queries, HttpContext http, CancellationToken ct) =>
            (await queries.ListAsync(await ApiActor.OfAsync(http), ct)).OneOf(p => p.Id, id, "project")).WithName("GetProject").RequirePermission(Permissions.ProjectManage);
        projects.MapPost("/", CreateProjectAsync).WithName("CreateProject").RequirePermission(Permissions.UserManage);
        projects.MapPut("/{id:guid}", UpdateProjectAsync).WithName("UpdateProject").RequirePermission(Permissions.UserManage);
        projects.MapDelete("/{id:guid}", DeleteProjectAsync).WithName("DeleteProject").RequirePermission(Permissions.UserManage);
        projects.MapPut("/{id:guid}/members/{userId:guid}", SetMemberAsync).WithName("SetProjectMember").RequirePermission(Permissions.ProjectManage);
        projects.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMemberAsync).WithName("RemoveProjectMember").RequirePermission(Permissions.ProjectManage);

        var roles = api.MapGroup("/roles").WithTags("Roles");
        roles.MapGet("/", ListRolesAsync).WithName("ListRoles").RequirePermission(Permissions.UserManage);
        roles.MapGet("/{id:guid}", async (Guid id, RoleQueries queries, HttpContext http, CancellationToken ct) =>
            (await queries.ListAsync(await ApiActor.OfAsync(http), ct)).OneOf(r => r.Id, id, "role")).WithName("GetRole").RequirePermission(Permissions.UserManage);
        roles.MapPost("/", CreateRoleAsync).WithName("CreateRole").RequirePermission(Permissions.UserManage);
        roles.MapPut("/{id:guid}/permissions", SetRolePermissionsAsync).WithName("SetRolePermissions").RequirePermission(Permissions.UserManage);
        roles.MapDelete("/{id:guid}", DeleteRoleAsync).WithName("DeleteRole").RequirePermission(Permissions.UserManage);

        // Every signed-in user manages their own tokens: any authenticated caller (the default policy), no permission.
        var tokens = api.MapGroup("/tokens").WithTags("API tokens").RequireAuthorization();
        tokens.MapGet("/", ListTokensAsync).WithName("ListTokens");
        tokens.MapGet("/{id:guid}", async (Guid id, TokenQueries queries, HttpContext http, CancellationToken ct) =>
        {
            var actor = await ApiActor.OfAsync(http);
            return (await queries.ListAsync(actor, actor.Access.Can(Permissions.UserManage), ct)).OneOf(t => t.Id, id, "token");
        }).WithName("GetToken");
        tokens.MapPost("/", CreateTokenAsync).WithName("CreateToken");
        tokens.MapPost("/{id:guid}/revoke", RevokeTokenAsync).WithName("RevokeToken");

        api.MapAuditEndpoints();
        return api;
    }

    private static async Task<IResult> ListUsersAsync(UserQueries queries, HttpContext http, CancellationToken ct) =>
        (await queries.ListAsync(await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> CreateUserAsync(CreateUserRequest request, CreateUserHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(request, await ApiActor.OfAsync(http), ct)).ToHttp(user => TypedResults.Created($"/api/v1/users/{user.Id}", user));

    private static async Task<IResult> SetDisabledAsync(Guid id, bool disabled, SetUserDisabledHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, disabled, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> ResetPasswordAsync(Guid id, ResetPasswordRequest request, ResetPasswordHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, request, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> SetGlobalRoleAsync(Guid id, SetGlobalRoleRequest request, SetGlobalRoleHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, request, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> ListProjectsAsync(ProjectQueries queries, HttpContext http, CancellationToken ct) =>
        (await queries.ListAsync(await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> CreateProjectAsync(CreateProjectRequest request, CreateProjectHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(request, await ApiActor.OfAsync(http), ct)).ToHttp(project => TypedResults.Created($"/api/v1/projects/{project.Id}", project));

    private static async Task<IResult> UpdateProjectAsync(Guid id, UpdateProjectRequest request, UpdateProjectHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, request, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> DeleteProjectAsync(Guid id, DeleteProjectHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, await ApiActor.OfAsync(http), ct)).ToHttp(_ => TypedResults.NoContent());

    private static async Task<IResult> SetMemberAsync(Guid id, Guid userId, SetMemberRoleRequest request, SetMembershipHandler handler, HttpContext http, CancellationToken ct)
    {
        if (request.RoleId is null)
        {
            return Domain.Common.Error.Validation("membership.role", "roleId is required; use DELETE to remove a member.").ToProblem();
        }

        return (await handler.HandleAsync(new SetMembershipRequest(userId, id, request.RoleId), await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);
    }

    private static async Task<IResult> RemoveMemberAsync(Guid id, Guid userId, SetMembershipHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(new SetMembershipRequest(userId, id, null), await ApiActor.OfAsync(http), ct)).ToHttp(_ => TypedResults.NoContent());

    private static async Task<IResult> ListRolesAsync(RoleQueries queries, HttpContext http, CancellationToken ct) =>
        (await queries.ListAsync(await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> CreateRoleAsync(CreateRoleRequest request, CreateRoleHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(request, await ApiActor.OfAsync(http), ct)).ToHttp(role => TypedResults.Created($"/api/v1/roles/{role.Id}", role));

    private static async Task<IResult> SetRolePermissionsAsync(Guid id, SetRolePermissionsRequest request, SetRolePermissionsHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, request, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> DeleteRoleAsync(Guid id, DeleteRoleHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, await ApiActor.OfAsync(http), ct)).ToHttp(_ => TypedResults.NoContent());

    private static async Task<IResult> ListTokensAsync(TokenQueries queries, HttpContext http, CancellationToken ct, bool all = false) =>
        (await queries.ListAsync(await ApiActor.OfAsync(http), all, ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> CreateTokenAsync(CreateTokenRequest request, CreateTokenHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(request, await ApiActor.OfAsync(http), ct)).ToHttp(created => TypedResults.Created($"/api/v1/tokens/{created.Token.Id}", created));

    private static async Task<IResult> RevokeTokenAsync(Guid id, RevokeTokenHandler handler, HttpContext http, CancellationToken ct) =>
        (await handler.HandleAsync(id, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);
}
