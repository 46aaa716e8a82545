using NovaCron.NodeAgent.Configuration;

namespace NovaCron.NodeAgent.Connection;

/// <summary>The node credential this agent received when it enrolled, in <c>&lt;DataDirectory&gt;/agent/credential</c>
/// (mode 0600). Deleting the file makes the agent enroll again with <see cref="AgentOptions.EnrollmentToken"/>.</summary>
public static class AgentCredentialStore
{
    public static string PathFor(string dataDirectory) => Path.Combine(dataDirectory, "agent", "credential");

    public static string? Read(string dataDirectory)
    {
        var path = PathFor(dataDirectory);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } credential ? credential : null;
    }

    public static async Task WriteAsync(string dataDirectory, string credential, CancellationToken cancellationToken)
    {
        var path = PathFor(dataDirectory);
        var directory = Path.GetDirectoryName(path)!;
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        await using (var file = new StreamWriter(temporary, System.Text.Encoding.UTF8, options))
        {
            await file.WriteAsync(credential.AsMemory(), cancellationToken);
        }

        // Written aside and renamed, so a crash never leaves half a credential behind.
        File.Move(temporary, path, overwrite: true);
    }
}
