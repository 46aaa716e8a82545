using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>Chooses the accelerator. <c>auto</c> never picks one that hangs: on some hosts <c>/dev/kvm</c> exists and
/// an empty QEMU runs under it, yet a real kernel hangs in early boot, so KVM is chosen only when the test guest
/// boots to its boot line under KVM within a few seconds.</summary>
public static partial class AcceleratorProbe
{
    public const string Kvm = "kvm";
    public const string Tcg = "tcg";
    public const string Auto = "auto";
    public const string BootLine = "NOVACRON-GUEST BOOTED";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(8);

    public static async Task<string> ResolveAsync(string requested, string dataDirectory, string qemuBinary, ILogger logger, CancellationToken cancellationToken)
    {
        if (!string.Equals(requested, Auto, StringComparison.OrdinalIgnoreCase))
        {
            var chosen = requested.ToLowerInvariant();
            LogChosen(logger, chosen, "configured explicitly");
            return chosen;
        }

        if (!File.Exists("/dev/kvm"))
        {
            LogChosen(logger, Tcg, "/dev/kvm does not exist");
            return Tcg;
        }

        try
        {
            using var kvm = File.Open("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogChosen(logger, Tcg, $"/dev/kvm is not usable by this user ({ex.Message})");
            return Tcg;
        }

        var guest = Path.Combine(dataDirectory, "images", "novacron-test-guest");
        var kernel = Path.Combine(guest, "vmlinuz");
        var initrd = Path.Combine(guest, "initrd.img");
        if (!File.Exists(kernel) || !File.Exists(initrd))
        {
            LogChosen(logger, Tcg, $"no test guest in {guest} to prove KVM boots a real kernel (run scripts/prepare-guest-image.sh)");
            return Tcg;
        }

        var watch = Stopwatch.StartNew();
        if (await BootsUnderKvmAsync(qemuBinary, kernel, initrd, cancellationToken))
        {
            LogChosen(logger, Kvm, $"the test guest booted under KVM in {watch.ElapsedMilliseconds} ms");
            return Kvm;
        }

        LogChosen(logger, Tcg, $"the test guest did not boot under KVM within {ProbeTimeout.TotalSeconds:0} s");
        return Tcg;
    }

    private static async Task<bool> BootsUnderKvmAsync(string qemuBinary, string kernel, string initrd, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(qemuBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-machine", "q35,accel=kvm", "-m", "128", "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none",
            "-serial", "stdio", "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 panic=-1 quiet",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains(BootLine, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accelerator {Accelerator} chosen: {Reason}")]
    private static partial void LogChosen(ILogger logger, string accelerator, string reason);
}
