using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Infrastructure.Identity;

public static class IdentitySetup
{
    /// <summary>Stores Identity users (and Identity's own roles) in <see cref="NovaCronDbContext"/>. Identity's stores take
    /// the abstract context from the container: the scoped one that <c>AddNovaCronPersistence</c> makes with the configured
    /// provider's factory, so call that too.</summary>
    public static IdentityBuilder AddNovaCronIdentityStores(this IdentityBuilder builder) =>
        builder.AddEntityFrameworkStores<NovaCronDbContext>();
}
