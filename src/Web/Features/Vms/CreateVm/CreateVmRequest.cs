namespace NovaCron.Web.Features.Vms.CreateVm;

/// <summary>Asks for a new VM. <see cref="Image"/> is an image name or id; empty means the default image.</summary>
public sealed record CreateVmRequest(string Name, int VCpus, long MemoryMiB, long DiskGiB, string? Image, IReadOnlyList<string>? Tags, bool Start = true);
