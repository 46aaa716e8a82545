using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using NovaCron.Domain.Agents;
using NovaCron.Infrastructure.Identity;
using NovaCron.Web.Features.Agents;

namespace NovaCron.Web.Security;

/// <summary>Who may call NovaCron: people with the Identity cookie (password, optionally TOTP), scripts with API tokens,
/// node agents with node credentials. Everything needs an authenticated caller unless marked anonymous.</summary>
public static class AuthenticationSetup
{
    /// <summary>Rate-limiting policy of the sign-in form posts.</summary>
    public const string SignInRateLimit = "sign-in";

    public const string LoginPath = "/account/login";
    public const string AccessDeniedPath = "/account/access-denied";

    public static IHostApplicationBuilder AddNovaCronAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = NovaCronClaims.Scheme;
                o.DefaultChallengeScheme = NovaCronClaims.Scheme;
                o.DefaultForbidScheme = NovaCronClaims.Scheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignOutScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(NovaCronClaims.Scheme, "Cookie, API token or agent credential", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.AddIdentityCore<NovaCronUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 5;

                // Length beats composition rules (NIST SP 800-63B); generated passwords satisfy both anyway.
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;

                // Lets DisabledUserConfirmation refuse disabled users at sign-in.
                o.SignIn.RequireConfirmedAccount = true;
                o.Tokens.AuthenticatorTokenProvider = SingleUseAuthenticatorTokenProvider.Name;
            })
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorTokenProvider>(SingleUseAuthenticatorTokenProvider.Name)
            .AddNovaCronIdentityStores();
        services.AddScoped<IUserConfirmation<NovaCronUser>, DisabledUserConfirmation>();

        // A password reset or a disabled account changes the security stamp; cookies are checked against it every
        // minute, so those sessions end within a minute instead of the default 30.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddScoped<AdminBootstrap>();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = LoginPath;
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = AccessDeniedPath;
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Cookie.Name = "NovaCron.Auth";
            ConfigureCookie(o.Cookie);
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o => ConfigureCookie(o.Cookie));
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme, o => ConfigureCookie(o.Cookie));

        services.AddSingleton(typeof(AccessCache<>));
        services.AddSingleton<AccessResolver>();
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddScoped<CircuitActor>();
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitSource>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitSource.Recorder>();
        services.AddCascadingAuthenticationState();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(NovaCronClaims.Scheme).RequireAuthenticatedUser().Build())
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(NovaCronClaims.Scheme).RequireAuthenticatedUser().Build());

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address. Wait a minute and try again.", cancellationToken);
            };
            o.AddPolicy(SignInRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = SignInAttemptsPerMinute(builder.Configuration), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("reads"));
        });
        return builder;
    }

    /// <summary>Authentication, authorization, rate limiting and security headers, in that order; call before the
    /// antiforgery middleware and the endpoints.</summary>
    public static WebApplication UseNovaCronAuthentication(this WebApplication app)
    {
        app.UseNovaCronSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapPost("/account/logout", SignOutAsync).ExcludeFromDescription();
        return app;
    }

    private static int SignInAttemptsPerMinute(IConfiguration configuration) =>
        configuration.GetValue<int?>("Security:SignInAttemptsPerMinute") is { } limit and > 0 ? limit : 10;

    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(AgentProtocol.HubPath, StringComparison.OrdinalIgnoreCase))
        {
            return AgentAuthenticationHandler.SchemeName;
        }

        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? ApiTokenAuthenticationHandler.SchemeName
            : IdentityConstants.ApplicationScheme;
    }

    private static void ConfigureCookie(CookieBuilder cookie)
    {
        cookie.HttpOnly = true;
        cookie.SameSite = SameSiteMode.Strict;
        cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    }

    private static Task RedirectOrStatus(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (ProblemAuthorizationResultHandler.IsMachineRequest(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A form post (the form binding makes the antiforgery middleware check the token).</summary>
    private static async Task<IResult> SignOutAsync(SignInManager<NovaCronUser> signIn, [Microsoft.AspNetCore.Mvc.FromForm(Name = "reason")] string? reason)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LoginPath);
    }
}

/// <summary>A disabled user cannot sign in (Identity answers "not allowed").</summary>
public sealed class DisabledUserConfirmation : IUserConfirmation<NovaCronUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<NovaCronUser> manager, NovaCronUser user) => Task.FromResult(user.DisabledAt is null);
}
