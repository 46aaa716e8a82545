using System.Diagnostics;
using NovaCron.Domain.Hypervisors;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>Runs a short-lived tool (qemu-img) and captures its output.</summary>
internal static class ProcessRunner
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new HypervisorException($"Cannot run {fileName}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new HypervisorException($"{Path.GetFileName(fileName)} {string.Join(' ', startInfo.ArgumentList)} failed ({process.ExitCode}): {(await stderr).Trim()}");
        }

        return await stdout;
    }
}
