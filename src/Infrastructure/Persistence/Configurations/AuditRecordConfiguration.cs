using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NovaCron.Domain.Audit;

namespace NovaCron.Infrastructure.Persistence.Configurations;

/// <summary>Audit records are append-only: <see cref="NovaCronDbContext"/> refuses to save changes to them and the
/// migrations add triggers that make the database refuse UPDATE and DELETE as well.</summary>
public sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public const string TableName = "AuditRecords";

    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable(TableName);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(64);
        builder.Property(a => a.TargetId).HasMaxLength(256);
        builder.Property(a => a.TargetName).HasMaxLength(256);
        builder.Property(a => a.Source).HasMaxLength(256);
        builder.Property(a => a.Detail).HasMaxLength(2000);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.ActorUserId);
        builder.HasIndex(a => a.ProjectId);
        builder.HasIndex(a => a.Action);
    }
}
