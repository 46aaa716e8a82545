using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.ToTable("Nodes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Name).HasMaxLength(ResourceName.MaxLength);
        builder.HasIndex(n => n.Name).IsUnique();
        builder.Property(n => n.Address).HasMaxLength(256);
        builder.Property(n => n.AgentVersion).HasMaxLength(64);
        builder.Property(n => n.Accelerator).HasMaxLength(16);

        builder.ComplexProperty(n => n.Capacity);
        builder.ComplexProperty(n => n.Allocated);

        // Labels are read through the IReadOnlyDictionary property; EF writes the private dictionary behind it.
        builder.Property<Dictionary<string, string>>("_labels")
            .HasColumnName("Labels")
            .HasConversion(JsonColumn.StringMapConverter, JsonColumn.StringMapComparer)
            .IsRequired();
    }
}
