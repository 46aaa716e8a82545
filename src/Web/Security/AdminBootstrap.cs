using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Identity;
using NovaCron.Web.Configuration;

namespace NovaCron.Web.Security;

/// <summary>Creates the first administrator when there are no users. The password comes from
/// <c>Bootstrap:AdminPassword</c>, or is generated and written once to <c>&lt;data directory&gt;/initial-admin-password</c>
/// (mode 0600); it is never logged and there is no default password.</summary>
public sealed partial class AdminBootstrap(
    UserManager<NovaCronUser> users,
    IConfiguration configuration,
    IOptions<NovaCronOptions> options,
    TimeProvider clock,
    ILogger<AdminBootstrap> logger)
{
    public const string UserNameSetting = "Bootstrap:AdminUserName";
    public const string PasswordSetting = "Bootstrap:AdminPassword";
    public const string PasswordFileName = "initial-admin-password";

    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        if (await users.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var userName = configuration[UserNameSetting] is { Length: > 0 } configured ? configured : "admin";
        var user = new NovaCronUser
        {
            UserName = userName,
            DisplayName = "Administrator",
            GlobalRoleId = Role.BuiltIn.Single(r => r.Name == Role.Administrator).Id.Value,
            CreatedAt = clock.GetUtcNow(),
            EmailConfirmed = true,
        };

        var password = configuration[PasswordSetting];
        string? passwordFile = null;
        if (string.IsNullOrEmpty(password))
        {
            password = RandomNumberGenerator.GetString(Alphabet, 24);
            passwordFile = Path.Combine(options.Value.DataDirectory, PasswordFileName);
        }
        else
        {
            var problems = new List<string>();
            foreach (var validator in users.PasswordValidators)
            {
                var checkedPassword = await validator.ValidateAsync(users, user, password);
                problems.AddRange(checkedPassword.Errors.Select(e => e.Description));
            }

            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"{PasswordSetting} is too weak for the first administrator: {string.Join(" ", problems)} Set a stronger password or leave it unset to have one generated.");
            }
        }

        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Cannot create the first administrator '{userName}': {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }

        if (passwordFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(passwordFile)!);
            var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new StreamWriter(passwordFile, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), fileOptions))
            {
                await file.WriteLineAsync(password);
            }

            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode applies only to new files; an old file keeps its mode otherwise.
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            LogCreatedWithFile(logger, userName, passwordFile);
        }
        else
        {
            LogCreated(logger, userName, PasswordSetting);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first administrator '{UserName}'; its generated password is in {PasswordFile}: sign in, change it and delete the file")]
    private static partial void LogCreatedWithFile(ILogger logger, string userName, string passwordFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator '{UserName}' with the password from {Setting}")]
    private static partial void LogCreated(ILogger logger, string userName, string setting);
}

/// <summary>Runs <see cref="AdminBootstrap"/> in its own scope, after migrations.</summary>
public static class AdminBootstrapExtensions
{
    public static async Task BootstrapAdministratorAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().EnsureAdministratorAsync(cancellationToken);
    }
}
