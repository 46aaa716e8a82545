using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class EnrollmentTokenConfiguration : IEntityTypeConfiguration<EnrollmentToken>
{
    public void Configure(EntityTypeBuilder<EnrollmentToken> builder)
    {
        builder.ToTable("EnrollmentTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Description).HasMaxLength(1024);
        builder.Property(t => t.LookupId).HasMaxLength(32);
        builder.HasIndex(t => t.LookupId).IsUnique();
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.Property(t => t.UsedByNode).HasMaxLength(ResourceName.MaxLength);
    }
}

public sealed class NodeCredentialConfiguration : IEntityTypeConfiguration<NodeCredential>
{
    public void Configure(EntityTypeBuilder<NodeCredential> builder)
    {
        builder.ToTable("NodeCredentials");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.NodeName).HasMaxLength(ResourceName.MaxLength);
        builder.HasIndex(c => c.NodeName);
        builder.Property(c => c.LookupId).HasMaxLength(32);
        builder.HasIndex(c => c.LookupId).IsUnique();
        builder.Property(c => c.SecretHash).HasMaxLength(64);
    }
}
