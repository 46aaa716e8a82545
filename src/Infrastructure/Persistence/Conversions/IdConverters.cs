using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;

namespace NovaCron.Infrastructure.Persistence.Conversions;

public sealed class VmIdConverter() : ValueConverter<VmId, Guid>(id => id.Value, value => new VmId(value));

public sealed class NodeIdConverter() : ValueConverter<NodeId, Guid>(id => id.Value, value => new NodeId(value));

public sealed class OperationIdConverter() : ValueConverter<OperationId, Guid>(id => id.Value, value => new OperationId(value));

public sealed class ImageIdConverter() : ValueConverter<ImageId, Guid>(id => id.Value, value => new ImageId(value));

public sealed class ProjectIdConverter() : ValueConverter<ProjectId, Guid>(id => id.Value, value => new ProjectId(value));

public sealed class RoleIdConverter() : ValueConverter<RoleId, Guid>(id => id.Value, value => new RoleId(value));
