using System.Diagnostics;
using NovaCron.NodeAgent.Tests.Support;

[assembly: AssemblyFixture(typeof(GuestImageFixture))]

namespace NovaCron.NodeAgent.Tests.Support;

/// <summary>Builds the real test guest once per run into a shared cache (NOVACRON_TEST_DATA or /tmp/novacron-test-cache);
/// the script is idempotent, so later runs reuse it.</summary>
public sealed class GuestImageFixture : IAsyncLifetime
{
    public string CacheDirectory { get; } =
        Environment.GetEnvironmentVariable("NOVACRON_TEST_DATA") is { Length: > 0 } dir ? dir : "/tmp/novacron-test-cache";

    public string GuestDirectory => Path.Combine(CacheDirectory, "images", "novacron-test-guest");

    public string Kernel => Path.Combine(GuestDirectory, "vmlinuz");

    public string Initrd => Path.Combine(GuestDirectory, "initrd.img");

    public string CommandLine { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "prepare-guest-image.sh");
        var startInfo = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add(CacheDirectory);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"prepare-guest-image.sh failed: {await stdout} {await stderr}");
        }

        CommandLine = (await File.ReadAllTextAsync(Path.Combine(GuestDirectory, "cmdline"))).Trim();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "prepare-guest-image.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find scripts/prepare-guest-image.sh above " + AppContext.BaseDirectory);
    }
}
