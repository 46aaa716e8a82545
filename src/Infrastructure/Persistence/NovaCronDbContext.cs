using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Images;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence.Configurations;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>The control plane's database. Consumers depend on this type (through <see cref="IDbContextFactory{TContext}"/>);
/// each provider has a sealed subclass that owns its migrations, because EF Core migrations are provider-specific.</summary>
public abstract class NovaCronDbContext : DbContext
{
    protected NovaCronDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Node> Nodes => Set<Node>();

    public DbSet<VirtualMachine> Vms => Set<VirtualMachine>();

    public DbSet<Operation> Operations => Set<Operation>();

    public DbSet<Image> Images => Set<Image>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<VmId>().HaveConversion<VmIdConverter>();
        configurationBuilder.Properties<NodeId>().HaveConversion<NodeIdConverter>();
        configurationBuilder.Properties<OperationId>().HaveConversion<OperationIdConverter>();
        configurationBuilder.Properties<ImageId>().HaveConversion<ImageIdConverter>();

        // Enums are stored by name: readable in the database, stable when members are reordered,
        // and the filtered unique index on VM names compares against a literal state name.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new NodeConfiguration());
        modelBuilder.ApplyConfiguration(new VirtualMachineConfiguration());
        modelBuilder.ApplyConfiguration(new OperationConfiguration());
        modelBuilder.ApplyConfiguration(new ImageConfiguration());
    }
}
