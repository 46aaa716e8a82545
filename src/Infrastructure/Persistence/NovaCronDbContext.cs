using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Images;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence.Configurations;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>The control plane's database. Consumers depend on this type (through <see cref="IDbContextFactory{TContext}"/>);
/// each provider has a sealed subclass that owns its migrations, because EF Core migrations are provider-specific.
/// It is also the ASP.NET Core Identity store (users in <c>AspNetUsers</c>); NovaCron's permission roles are
/// <see cref="AccessRoles"/>, not Identity's <c>Roles</c>.</summary>
public abstract class NovaCronDbContext : IdentityDbContext<NovaCronUser, IdentityRole<Guid>, Guid>
{
    protected NovaCronDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Node> Nodes => Set<Node>();

    public DbSet<VirtualMachine> Vms => Set<VirtualMachine>();

    public DbSet<Operation> Operations => Set<Operation>();

    public DbSet<Image> Images => Set<Image>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<ProjectMembership> Memberships => Set<ProjectMembership>();

    public DbSet<Role> AccessRoles => Set<Role>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    public DbSet<NodeCredential> NodeCredentials => Set<NodeCredential>();

    /// <summary>Append-only: add records, never change or remove them (saving such a change throws).</summary>
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<VmId>().HaveConversion<VmIdConverter>();
        configurationBuilder.Properties<NodeId>().HaveConversion<NodeIdConverter>();
        configurationBuilder.Properties<OperationId>().HaveConversion<OperationIdConverter>();
        configurationBuilder.Properties<ImageId>().HaveConversion<ImageIdConverter>();
        configurationBuilder.Properties<ProjectId>().HaveConversion<ProjectIdConverter>();
        configurationBuilder.Properties<RoleId>().HaveConversion<RoleIdConverter>();

        // Enums are stored by name: readable in the database, stable when members are reordered,
        // and the filtered unique index on VM names compares against a literal state name.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.ApplyConfiguration(new NodeConfiguration());
        modelBuilder.ApplyConfiguration(new VirtualMachineConfiguration());
        modelBuilder.ApplyConfiguration(new VmStateChangeConfiguration());
        modelBuilder.ApplyConfiguration(new OperationConfiguration());
        modelBuilder.ApplyConfiguration(new ImageConfiguration());
        modelBuilder.ApplyConfiguration(new ProjectConfiguration());
        modelBuilder.ApplyConfiguration(new ProjectMembershipConfiguration());
        modelBuilder.ApplyConfiguration(new RoleConfiguration());
        modelBuilder.ApplyConfiguration(new ApiTokenConfiguration());
        modelBuilder.ApplyConfiguration(new EnrollmentTokenConfiguration());
        modelBuilder.ApplyConfiguration(new NodeCredentialConfiguration());
        modelBuilder.ApplyConfiguration(new AuditRecordConfiguration());
    }

    private void GuardAppendOnly()
    {
        var changed = ChangeTracker.Entries<AuditRecord>()
            .FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (changed is not null)
        {
            throw new InvalidOperationException(
                $"Audit records are append-only: record {changed.Entity.Id} was {changed.State.ToString().ToLowerInvariant()}.");
        }
    }
}
