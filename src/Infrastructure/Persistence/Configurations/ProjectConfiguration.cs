using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    /// <summary>When the default project is seeded as existing; a fixed value so the seed data never changes the model.</summary>
    public static readonly DateTimeOffset DefaultProjectCreatedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("Projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(ResourceName.MaxLength);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Description).HasMaxLength(1024);
        builder.ComplexProperty(p => p.Quota);

        builder.HasData(new
        {
            Id = ProjectId.Default,
            Name = "default",
            Description = "Default project",
            CreatedAt = DefaultProjectCreatedAt,
        });
    }
}
