using MudBlazor;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;

namespace NovaCron.Web.Components.Shared;

/// <summary>One colour per state, so a state looks the same on every page.</summary>
public static class StateColors
{
    public static Color Of(VmState state) => state switch
    {
        VmState.Running => Color.Success,
        VmState.Stopped => Color.Default,
        VmState.Paused => Color.Warning,
        VmState.Error => Color.Error,
        VmState.Deleted => Color.Dark,
        VmState.Scheduling or VmState.Provisioning or VmState.Starting or VmState.Stopping or VmState.Rebooting or VmState.Deleting => Color.Info,
        _ => Color.Default,
    };

    public static Color Of(NodeStatus status) => status switch
    {
        NodeStatus.Online => Color.Success,
        NodeStatus.Maintenance => Color.Warning,
        _ => Color.Error,
    };

    public static Color Of(OperationStatus status) => status switch
    {
        OperationStatus.Succeeded => Color.Success,
        OperationStatus.Running => Color.Info,
        OperationStatus.Failed => Color.Error,
        OperationStatus.Cancelled => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>KVM is hardware virtualisation; TCG is software emulation and much slower, so it stands out.</summary>
    public static Color OfAccelerator(string accelerator) => accelerator.ToUpperInvariant() switch
    {
        "KVM" => Color.Success,
        "TCG" => Color.Warning,
        _ => Color.Default,
    };
}
