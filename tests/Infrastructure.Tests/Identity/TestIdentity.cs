using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Infrastructure.Tests.Identity;

internal static class TestIdentity
{
    /// <summary>Identity as the web host registers it, minus cookies and token providers.</summary>
    public static IServiceCollection AddNovaCronTestIdentity(this IServiceCollection services)
    {
        services.AddLogging();
        services.AddIdentityCore<NovaCronUser>()
            .AddRoles<IdentityRole<Guid>>()
            .AddNovaCronIdentityStores();
        return services;
    }
}
