using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Common;
using NovaCron.Domain.Images;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class ImageConfiguration : IEntityTypeConfiguration<Image>
{
    public void Configure(EntityTypeBuilder<Image> builder)
    {
        builder.ToTable("Images");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Name).HasMaxLength(ResourceName.MaxLength);
        builder.HasIndex(i => i.Name).IsUnique();
        builder.Property(i => i.Path).HasMaxLength(4096);
        builder.Property(i => i.InitrdPath).HasMaxLength(4096);
        builder.Property(i => i.KernelCommandLine).HasMaxLength(4096);
        builder.Property(i => i.Format).HasMaxLength(16);
    }
}
