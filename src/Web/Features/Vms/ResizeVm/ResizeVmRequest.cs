namespace NovaCron.Web.Features.Vms.ResizeVm;

/// <summary>New sizes for a stopped VM. A size left out keeps its current value; the disk can only grow.</summary>
public sealed record ResizeVmRequest(int? VCpus = null, long? MemoryMiB = null, long? DiskGiB = null);
