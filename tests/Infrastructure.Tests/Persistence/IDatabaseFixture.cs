using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Infrastructure.Tests.Persistence;

/// <summary>A migrated database of one provider, shared by the tests of one class.</summary>
public interface IDatabaseFixture
{
    NovaCronDbContext CreateContext();

    /// <summary>The fixture's container (persistence and Identity stores, as the application wires them).</summary>
    IServiceProvider Services { get; }
}
