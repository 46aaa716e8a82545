using NovaCron.Domain.Operations;

namespace NovaCron.Web.Features.Audit;

/// <summary>The audit action of each mutating REST endpoint, by endpoint name: the same name its handler records on
/// success, so a refusal made before the handler ran (bad input, a missing permission) is filed under the same action
/// and one filter finds both. A test holds every mutating endpoint to an entry here.</summary>
public static class AuditActions
{
    public static IReadOnlyDictionary<string, string> ByEndpoint { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CreateUser"] = "user.create",
        ["DisableUser"] = "user.disable",
        ["EnableUser"] = "user.enable",
        ["ResetUserPassword"] = "user.reset-password",
        ["SetUserGlobalRole"] = "user.set-global-role",
        ["CreateProject"] = "project.create",
        ["UpdateProject"] = "project.update",
        ["DeleteProject"] = "project.delete",
        ["SetProjectMember"] = "project.set-member",
        ["RemoveProjectMember"] = "project.remove-member",
        ["CreateRole"] = "role.create",
        ["SetRolePermissions"] = "role.update",
        ["DeleteRole"] = "role.delete",
        ["CreateToken"] = "token.create",
        ["RevokeToken"] = "token.revoke",
        ["RegisterImage"] = "image.register",
        ["CreateEnrollmentToken"] = "enrollment-token.create",
        ["RevokeEnrollmentToken"] = "enrollment-token.revoke",
        ["RevokeNodeCredential"] = "node.revoke-credential",
        ["CreateVm"] = OperationKinds.VmCreate,
        ["ResizeVm"] = OperationKinds.VmResize,
        ["DeleteVm"] = OperationKinds.VmDelete,
        ["StartVm"] = OperationKinds.VmStart,
        ["StopVm"] = OperationKinds.VmStop,
        ["ForceStopVm"] = OperationKinds.VmForceStop,
        ["RebootVm"] = OperationKinds.VmReboot,
        ["PauseVm"] = OperationKinds.VmPause,
        ["ResumeVm"] = OperationKinds.VmResume,
    };

    /// <summary>The audit action of <paramref name="endpoint"/> (by default the request's); the method and path when
    /// it has none.</summary>
    public static string For(HttpContext http, Endpoint? endpoint = null)
    {
        var name = (endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        return name is not null && ByEndpoint.TryGetValue(name, out var action) ? action : name ?? $"{http.Request.Method} {http.Request.Path}";
    }
}
