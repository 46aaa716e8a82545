using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Operations;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class OperationConfiguration : IEntityTypeConfiguration<Operation>
{
    public void Configure(EntityTypeBuilder<Operation> builder)
    {
        builder.ToTable("Operations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Kind).HasMaxLength(64);
        builder.Property(o => o.TargetName).HasMaxLength(256);
        builder.Property(o => o.RequestedBy).HasMaxLength(256);
        builder.HasIndex(o => o.VmId);
        builder.HasIndex(o => o.QueuedAt);
        builder.HasIndex(o => o.ProjectId);

        builder.OwnsMany(o => o.Log, log =>
        {
            log.ToTable("OperationLogLines");
            log.WithOwner().HasForeignKey("OperationId");
            log.Property<long>("Id").ValueGeneratedOnAdd();
            log.HasKey("Id");
        });
        builder.Navigation(o => o.Log).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
