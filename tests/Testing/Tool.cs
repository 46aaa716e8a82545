using System.Diagnostics;

namespace NovaCron.Testing;

/// <summary>Runs a host tool (qemu-img, bash) the way a person preparing a test file would.</summary>
public static class Tool
{
    /// <summary>Runs <paramref name="file"/> to its end and returns what it printed; a non-zero exit fails with its stderr.</summary>
    public static async Task<string> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
    }
}
