using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Projects;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class ProjectMembershipConfiguration : IEntityTypeConfiguration<ProjectMembership>
{
    public void Configure(EntityTypeBuilder<ProjectMembership> builder)
    {
        builder.ToTable("Memberships");
        builder.HasKey(m => new { m.UserId, m.ProjectId });
        builder.HasIndex(m => m.ProjectId);
    }
}
