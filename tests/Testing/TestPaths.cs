using System.Diagnostics;

namespace NovaCron.Testing;

/// <summary>Where the shared test guest lives and how to make it: scripts/prepare-guest-image.sh, run once per machine.</summary>
public static class TestPaths
{
    private static readonly SemaphoreSlim Prepare = new(1, 1);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NovaCron.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NovaCron.sln not found above the test output folder.");
    }

    public static string GuestCache => Environment.GetEnvironmentVariable("NOVACRON_TEST_DATA") is { Length: > 0 } dir ? dir : "/tmp/novacron-test-cache";

    /// <summary>Builds the test guest into the cache when it is not there yet and returns its images folder.</summary>
    public static async Task<string> EnsureGuestImagesAsync()
    {
        await Prepare.WaitAsync();
        try
        {
            var images = Path.Combine(GuestCache, "images");
            if (File.Exists(Path.Combine(images, "novacron-test-guest", "initrd.img")))
            {
                return images;
            }

            var script = Path.Combine(RepositoryRoot(), "scripts", "prepare-guest-image.sh");
            using var process = Process.Start(new ProcessStartInfo("bash", [script, GuestCache]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"prepare-guest-image.sh failed: {await stderr}");
            }

            return images;
        }
        finally
        {
            Prepare.Release();
        }
    }
}
