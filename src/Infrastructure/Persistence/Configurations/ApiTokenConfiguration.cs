using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence.Configurations;

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("ApiTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.LookupId).HasMaxLength(32);
        builder.HasIndex(t => t.LookupId).IsUnique();
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.HasIndex(t => t.UserId);

        // Null (all of the owner's permissions) differs from an empty subset (none), so the column is nullable.
        builder.Property<List<string>>("_permissions")
            .HasColumnName("Permissions")
            .HasConversion(JsonColumn.MutableStringListConverter, JsonColumn.MutableStringListComparer)
            .IsRequired(false);
    }
}
