using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence.Configurations;

/// <summary>NovaCron's permission roles. The table is <c>AccessRoles</c> because Identity's own roles live in <c>AspNetRoles</c>.</summary>
public sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> builder)
    {
        builder.ToTable("AccessRoles");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Name).HasMaxLength(ResourceName.MaxLength);
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.Description).HasMaxLength(1024);

        // Read through the IReadOnlyList property; EF writes the private list behind it.
        builder.Property<List<string>>("_permissions")
            .HasColumnName("Permissions")
            .HasConversion(JsonColumn.MutableStringListConverter, JsonColumn.MutableStringListComparer)
            .IsRequired();

        // Seed data names the backing field, hence anonymous objects rather than the Role instances.
        builder.HasData(Role.BuiltIn.Select(role => new
        {
            role.Id,
            role.Name,
            role.Description,
            role.IsBuiltIn,
            _permissions = role.Permissions.ToList(),
        }));
    }
}
