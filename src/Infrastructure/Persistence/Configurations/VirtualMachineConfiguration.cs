using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class VirtualMachineConfiguration : IEntityTypeConfiguration<VirtualMachine>
{
    public void Configure(EntityTypeBuilder<VirtualMachine> builder)
    {
        builder.ToTable("Vms");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Name).HasMaxLength(ResourceName.MaxLength);
        builder.Property(v => v.Version).IsConcurrencyToken();

        // Names are unique within a project (so a tenant learns nothing of another's names). A deleted VM keeps its
        // row (history, operations), so its name may be reused by a new VM.
        // Both providers quote identifiers with double quotes and the state is stored by name.
        builder.HasIndex(v => new { v.ProjectId, v.Name })
            .IsUnique()
            .HasFilter($"\"State\" <> '{nameof(VmState.Deleted)}'");
        builder.HasIndex(v => v.NodeId);

        // Rows from before projects existed get the default project when the column is added.
        builder.Property(v => v.ProjectId).IsRequired().HasDefaultValue(ProjectId.Default);
        builder.HasIndex(v => v.ProjectId);
        builder.HasIndex(v => v.State);

        builder.Property(v => v.ResizeFrom).HasConversion(JsonColumn.RecordConverter<VmSize>()).HasMaxLength(256);

        builder.ComplexProperty(v => v.Spec, spec =>
        {
            spec.Property(s => s.Tags)
                .HasConversion(JsonColumn.StringListConverter, JsonColumn.StringListComparer)
                .IsRequired();
        });

        // The history is its own table, loaded only where it is shown (VmQueryExtensions.WithHistory): a VM's every
        // other read (state reports, actions, lists) would otherwise drag its whole, ever-growing history along.
        // A change appended to a tracked VM is inserted without the older ones being read.
        builder.HasMany(v => v.History).WithOne().HasForeignKey("VmId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(v => v.History).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

public sealed class VmStateChangeConfiguration : IEntityTypeConfiguration<VmStateChange>
{
    public void Configure(EntityTypeBuilder<VmStateChange> builder)
    {
        builder.ToTable("VmStateChanges");
        builder.Property<long>(VmQueryExtensions.HistoryOrder).ValueGeneratedOnAdd();
        builder.HasKey(VmQueryExtensions.HistoryOrder);
        builder.Property(h => h.Reason).HasMaxLength(1024);
    }
}
