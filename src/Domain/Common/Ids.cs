namespace NovaCron.Domain.Common;

/// <summary>Identifies a virtual machine.</summary>
public readonly record struct VmId(Guid Value)
{
    public static VmId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}

/// <summary>Identifies a hypervisor node.</summary>
public readonly record struct NodeId(Guid Value)
{
    public static NodeId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}

/// <summary>Identifies an operation (task log entry); commands are idempotent by this id.</summary>
public readonly record struct OperationId(Guid Value)
{
    public static OperationId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}

/// <summary>Identifies a boot image.</summary>
public readonly record struct ImageId(Guid Value)
{
    public static ImageId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}
