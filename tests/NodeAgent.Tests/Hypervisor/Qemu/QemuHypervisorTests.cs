using Microsoft.Extensions.Logging.Abstractions;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;
using NovaCron.NodeAgent.Hypervisor.Qemu;
using NovaCron.NodeAgent.Tests.Support;

namespace NovaCron.NodeAgent.Tests.Hypervisor.Qemu;

/// <summary>Boots the real test guest under TCG. Each test has its own data directory and kills what it started.</summary>
public sealed class QemuHypervisorTests(GuestImageFixture guest) : IAsyncLifetime
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDataDirectory _dir = new();
    private readonly RecordingEvents _events = new();
    private readonly List<QemuHypervisor> _hypervisors = [];
    private readonly List<int> _pids = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var hypervisor in _hypervisors)
        {
            await hypervisor.DisposeAsync();
        }

        // Whatever a test left running dies here, found by the pid QEMU wrote, so no guest outlives the run.
        foreach (var pid in _pids.Concat(PidFiles()))
        {
            if (!IsRunning(pid) || !File.ReadAllText($"/proc/{pid}/cmdline").Contains("qemu", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
            {
                // Already gone.
            }
        }

        _dir.Dispose();
    }

    /// <summary>Whatever <c>auto</c> picks on this host (TCG here, where KVM hangs real kernels), the test guest boots
    /// under it: auto never picks an accelerator that hangs.</summary>
    [Fact]
    public async Task ResolveAsync_Auto_PicksAnAcceleratorTheTestGuestBootsUnder()
    {
        var chosen = await AcceleratorProbe.ResolveAsync(AcceleratorProbe.Auto, guest.CacheDirectory, "qemu-system-x86_64", NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Contains(chosen, new[] { AcceleratorProbe.Kvm, AcceleratorProbe.Tcg });
        var hypervisor = NewHypervisor(chosen);
        await hypervisor.InitializeAsync(TestContext.Current.CancellationToken);
        var definition = Definition();

        await hypervisor.CreateAsync(definition, new Progress<int>(), TestContext.Current.CancellationToken);
        await hypervisor.StartAsync(definition, TestContext.Current.CancellationToken);
        _pids.Add(hypervisor.GetPid(definition.VmId)!.Value);

        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-GUEST BOOTED kernel=", BootTimeout);
    }

    [Fact]
    public async Task ResolveAsync_AutoWithoutATestGuestToProveKvm_ChoosesTcg()
    {
        var chosen = await AcceleratorProbe.ResolveAsync(AcceleratorProbe.Auto, _dir.Path, "qemu-system-x86_64", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(AcceleratorProbe.Tcg, chosen);
    }

    [Fact]
    public async Task StartAsync_TestGuest_ConsoleShowsBootAndDiskLines()
    {
        var (hypervisor, definition) = await StartGuestAsync();

        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-GUEST BOOTED kernel=", BootTimeout);
        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-DISK boots=1 marker=", StateTimeout);

        Assert.Contains("cpus=1 mem_kb=", _events.Console(definition.VmId), StringComparison.Ordinal);
        var item = Assert.Single(await hypervisor.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(VmObservation.Running, item.State);
        Assert.Equal(hypervisor.GetPid(definition.VmId), item.Pid);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "vms", definition.VmId.ToString(), "vm.json")));
    }

    [Fact]
    public async Task PauseAsync_RunningGuest_ReportsPausedAndResumeReportsRunning()
    {
        var (hypervisor, definition) = await StartGuestAsync();

        await hypervisor.PauseAsync(definition.VmId, TestContext.Current.CancellationToken);
        await _events.WaitForStateAsync(definition.VmId, VmObservation.Paused, StateTimeout);
        Assert.Equal(VmObservation.Paused, (await hypervisor.ListAsync(TestContext.Current.CancellationToken)).Single().State);

        await hypervisor.ResumeAsync(definition.VmId, TestContext.Current.CancellationToken);
        await _events.WaitForStateAsync(definition.VmId, VmObservation.Running, StateTimeout);
    }

    [Fact]
    public async Task ForceStopAsync_ThenDeleteAsync_LeavesNoProcessAndNoDirectory()
    {
        var (hypervisor, definition) = await StartGuestAsync();
        var pid = hypervisor.GetPid(definition.VmId)!.Value;

        await hypervisor.ForceStopAsync(definition.VmId, TestContext.Current.CancellationToken);

        Assert.Equal(VmObservation.Stopped, _events.States(definition.VmId).Last().State);
        Assert.False(IsRunning(pid), $"QEMU pid {pid} still runs after ForceStop");
        Assert.Equal(VmObservation.Stopped, (await hypervisor.ListAsync(TestContext.Current.CancellationToken)).Single().State);

        await hypervisor.DeleteAsync(definition.VmId, TestContext.Current.CancellationToken);

        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "vms", definition.VmId.ToString())));
        Assert.Empty(await hypervisor.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(VmObservation.Deleted, _events.States(definition.VmId).Last().State);
    }

    [Fact]
    public async Task StopAsync_BootedGuest_PowersOffThroughAcpiWithinGracePeriod()
    {
        var (hypervisor, definition) = await StartGuestAsync();
        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-HEARTBEAT 1", BootTimeout);
        var pid = hypervisor.GetPid(definition.VmId)!.Value;

        await hypervisor.StopAsync(definition.VmId, TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        // The guest's own power-off line proves ACPI did it, not the quit fallback.
        Assert.Contains("NOVACRON-POWERDOWN", _events.Console(definition.VmId), StringComparison.Ordinal);
        Assert.Equal(VmObservation.Stopped, _events.States(definition.VmId).Last().State);
        Assert.Contains("code 0", _events.States(definition.VmId).Last().Reason, StringComparison.Ordinal);
        Assert.False(IsRunning(pid));
    }

    [Fact]
    public async Task StopAsync_PausedBootedGuest_ResumesItAndPowersOffThroughAcpi()
    {
        var (hypervisor, definition) = await StartGuestAsync();
        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-HEARTBEAT 1", BootTimeout);
        var pid = hypervisor.GetPid(definition.VmId)!.Value;
        await hypervisor.PauseAsync(definition.VmId, TestContext.Current.CancellationToken);
        await _events.WaitForStateAsync(definition.VmId, VmObservation.Paused, StateTimeout);
        var progress = new RecordingProgress();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        await hypervisor.StopAsync(definition.VmId, TimeSpan.FromSeconds(20), progress, TestContext.Current.CancellationToken);

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(15), $"Stop of a paused guest took {elapsed.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("NOVACRON-POWERDOWN", _events.Console(definition.VmId), StringComparison.Ordinal);
        Assert.Contains("code 0", _events.States(definition.VmId).Last().Reason, StringComparison.Ordinal);
        Assert.Contains(progress.Messages, m => m.Contains("resuming", StringComparison.Ordinal));
        Assert.DoesNotContain(progress.Messages, m => m.Contains("quitting QEMU", StringComparison.Ordinal));
        Assert.False(IsRunning(pid));
    }

    [Fact]
    public async Task StopAsync_GuestIgnoringAcpi_SaysGracePeriodRanOutAndQuitsQemu()
    {
        var (hypervisor, definition) = await StartGuestAsync(ignoreAcpi: true);
        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-GUEST BOOTED", BootTimeout);
        var pid = hypervisor.GetPid(definition.VmId)!.Value;
        var progress = new RecordingProgress();

        await hypervisor.StopAsync(definition.VmId, TimeSpan.FromSeconds(1), progress, TestContext.Current.CancellationToken);

        Assert.Contains("guest did not respond to ACPI within 1 s; quitting QEMU", progress.Messages);
        Assert.DoesNotContain("NOVACRON-POWERDOWN", _events.Console(definition.VmId), StringComparison.Ordinal);
        Assert.Equal(VmObservation.Stopped, _events.States(definition.VmId).Last().State);
        Assert.False(IsRunning(pid));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ForceStopOrDelete_WhileStopWaitsOnGuestIgnoringAcpi_QuitsAtOnceAndEndsTheStop(bool delete)
    {
        var (hypervisor, definition) = await StartGuestAsync(ignoreAcpi: true);
        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-GUEST BOOTED", BootTimeout);
        var pid = hypervisor.GetPid(definition.VmId)!.Value;
        var progress = new RecordingProgress();
        var stop = hypervisor.StopAsync(definition.VmId, TimeSpan.FromSeconds(60), progress, TestContext.Current.CancellationToken);
        await progress.WaitForAsync("ACPI power-down sent", StateTimeout);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        if (delete)
        {
            await hypervisor.DeleteAsync(definition.VmId, TestContext.Current.CancellationToken);
        }
        else
        {
            await hypervisor.ForceStopAsync(definition.VmId, TestContext.Current.CancellationToken);
        }

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"Preempting the stop took {elapsed.Elapsed.TotalSeconds:0.0} s");
        Assert.False(IsRunning(pid), $"QEMU pid {pid} still runs");
        await stop.WaitAsync(StateTimeout, TestContext.Current.CancellationToken);
        Assert.Contains(progress.Messages, m => m.Contains("superseded by force-stop", StringComparison.Ordinal));
        Assert.DoesNotContain(progress.Messages, m => m.Contains("did not respond", StringComparison.Ordinal));
        var expected = delete ? VmObservation.Deleted : VmObservation.Stopped;
        Assert.Equal(expected, _events.States(definition.VmId).Last().State);
        Assert.Equal(delete ? [] : [VmObservation.Stopped], (await hypervisor.ListAsync(TestContext.Current.CancellationToken)).Select(i => i.State));
    }

    [Fact]
    public async Task RebootAsync_BootedGuest_BootsAgainAndKeepsRunning()
    {
        var (hypervisor, definition) = await StartGuestAsync();
        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-DISK boots=1", BootTimeout);
        var pid = hypervisor.GetPid(definition.VmId);

        await hypervisor.RebootAsync(definition.VmId, TestContext.Current.CancellationToken);

        await _events.WaitForConsoleAsync(definition.VmId, "NOVACRON-DISK boots=2", BootTimeout);
        Assert.Equal(pid, hypervisor.GetPid(definition.VmId));
        Assert.Equal(VmObservation.Running, (await hypervisor.ListAsync(TestContext.Current.CancellationToken)).Single().State);
    }

    [Fact]
    public async Task InitializeAsync_SecondInstanceOnSameDataDirectory_ReattachesRunningVmAndCanPauseIt()
    {
        var (first, definition) = await StartGuestAsync();
        var pid = first.GetPid(definition.VmId);

        // An agent restart: the first instance lets go of QMP (a QMP socket serves one client) without stopping the guest.
        await first.DisposeAsync();
        _hypervisors.Remove(first);
        var second = NewHypervisor();
        await second.InitializeAsync(TestContext.Current.CancellationToken);

        var item = Assert.Single(await second.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(VmObservation.Running, item.State);
        Assert.Equal(pid, item.Pid);
        await second.PauseAsync(definition.VmId, TestContext.Current.CancellationToken);
        await _events.WaitForStateAsync(definition.VmId, VmObservation.Paused, StateTimeout);

        await second.ForceStopAsync(definition.VmId, TestContext.Current.CancellationToken);
        Assert.False(IsRunning(pid!.Value));
    }

    [Fact]
    public async Task CreateAsync_Repeated_KeepsTheFirstDisk()
    {
        var hypervisor = NewHypervisor();
        var definition = Definition();
        await hypervisor.CreateAsync(definition, new Progress<int>(), TestContext.Current.CancellationToken);
        var disk = Path.Combine(_dir.Path, "vms", definition.VmId.ToString(), "disk.qcow2");
        var written = File.GetLastWriteTimeUtc(disk);

        await hypervisor.CreateAsync(definition, new Progress<int>(), TestContext.Current.CancellationToken);

        Assert.Equal(written, File.GetLastWriteTimeUtc(disk));
        Assert.Equal(VmObservation.Stopped, (await hypervisor.ListAsync(TestContext.Current.CancellationToken)).Single().State);
    }

    /// <param name="ignoreAcpi">Boots the guest with <c>acpi=off</c>: it never reacts to the power button.</param>
    private async Task<(QemuHypervisor Hypervisor, VmDefinition Definition)> StartGuestAsync(bool ignoreAcpi = false)
    {
        var hypervisor = NewHypervisor();
        await hypervisor.InitializeAsync(TestContext.Current.CancellationToken);
        var definition = Definition(ignoreAcpi ? " acpi=off" : "");
        await hypervisor.CreateAsync(definition, new Progress<int>(), TestContext.Current.CancellationToken);
        await hypervisor.StartAsync(definition, TestContext.Current.CancellationToken);
        _pids.Add(hypervisor.GetPid(definition.VmId)!.Value);
        Assert.Equal(VmObservation.Running, _events.States(definition.VmId).Last().State);
        return (hypervisor, definition);
    }

    private QemuHypervisor NewHypervisor(string accelerator = AcceleratorProbe.Tcg)
    {
        var settings = new QemuHypervisorSettings(_dir.Path, "qemu-system-x86_64", "qemu-img", accelerator);
        var hypervisor = new QemuHypervisor(settings, _events, NullLogger<QemuHypervisor>.Instance);
        _hypervisors.Add(hypervisor);
        return hypervisor;
    }

    private VmDefinition Definition(string extraCommandLine = "") => new(
        VmId.New(),
        "test-guest",
        1,
        256,
        1,
        new BootSource(BootSource.KernelKind, guest.Kernel, "raw", guest.Initrd, guest.CommandLine + extraCommandLine));

    private IEnumerable<int> PidFiles()
    {
        var vms = Path.Combine(_dir.Path, "vms");
        if (!Directory.Exists(vms))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(vms, "qemu.pid", SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
