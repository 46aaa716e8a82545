using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Vms;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Reading a VM's state history, which is not loaded with the VM unless asked for.</summary>
public static class VmQueryExtensions
{
    /// <summary>The key of a history row; it grows with every change, so it is also the order they happened in.</summary>
    public const string HistoryOrder = "Id";

    /// <summary>Loads each VM with its whole history, oldest change first.</summary>
    public static IQueryable<VirtualMachine> WithHistory(this IQueryable<VirtualMachine> vms) =>
        vms.Include(v => v.History.OrderBy(h => EF.Property<long>(h, HistoryOrder)));
}
