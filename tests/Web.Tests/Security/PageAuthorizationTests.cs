using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using NovaCron.Domain.Identity;
using NovaCron.Web.Security;
using Xunit;

namespace NovaCron.Web.Tests.Security;

/// <summary>The pages' half of the authorization matrix, built from the application's own routable components: a new
/// page that forgets to declare who may open it fails here.</summary>
public sealed class PageAuthorizationTests
{
    /// <summary>The pages a person must reach before signing in.</summary>
    private static readonly string[] Anonymous = ["/account/login", "/account/login-2fa", "/account/login-recovery", "/account/access-denied"];

    private static IEnumerable<(Type Page, string Route)> Pages() =>
        from type in typeof(NovaCron.Web.Components.App).Assembly.GetTypes()
        from route in type.GetCustomAttributes<RouteAttribute>()
        select (type, route.Template);

    [Fact]
    public void EveryPage_DeclaresAuthorizationOrIsASignInPage()
    {
        var undeclared = Pages().Where(p => p.Page.GetCustomAttributes<AuthorizeAttribute>().Length == 0 && p.Page.GetCustomAttributes<AllowAnonymousAttribute>().Length == 0);
        var anonymous = Pages().Where(p => p.Page.GetCustomAttributes<AllowAnonymousAttribute>().Length > 0).Select(p => p.Route).Order();

        Assert.Empty(undeclared.Select(p => p.Route));
        Assert.Equal(Anonymous.Order(), anonymous);
        Assert.True(Pages().Count() > Anonymous.Length + 5);
    }

    [Fact]
    public void EveryPagePolicy_NamesAPermissionOfTheCatalogue()
    {
        var policies = Pages().SelectMany(p => p.Page.GetCustomAttributes<AuthorizeAttribute>()).Select(a => a.Policy).OfType<string>().ToList();

        Assert.NotEmpty(policies);
        Assert.All(policies, policy =>
        {
            Assert.StartsWith(PermissionPolicy.Prefix, policy, StringComparison.Ordinal);
            Assert.Contains(Permissions.All, p => p.Name == policy[PermissionPolicy.Prefix.Length..]);
        });
    }
}

internal static class AttributeExtensions
{
    public static T[] GetCustomAttributes<T>(this Type type)
        where T : Attribute => (T[])Attribute.GetCustomAttributes(type, typeof(T), inherit: true);
}
