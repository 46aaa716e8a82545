namespace NovaCron.Web.Features.Vms.CreateVm;

/// <summary>Asks for a new VM. <see cref="Image"/> is an image name or id; empty means the default image.
/// <see cref="Project"/> is a project name or id; empty means the caller's only project where it may create VMs, else
/// the default project (see <see cref="CreatableProjects.Implicit"/>).</summary>
public sealed record CreateVmRequest(string Name, int VCpus, long MemoryMiB, long DiskGiB, string? Image = null, IReadOnlyList<string>? Tags = null, bool Start = true, string? Project = null);
