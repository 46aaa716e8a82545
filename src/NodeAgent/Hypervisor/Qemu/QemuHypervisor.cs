using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Hypervisors;
using NovaCron.Domain.Vms;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>Runs VMs as <c>qemu-system-x86_64</c> processes driven over QMP. Each VM lives in
/// <c>DATA_DIR/vms/&lt;vmid&gt;/</c> (disk.qcow2, qmp.sock, qemu.pid, console.log, vm.json). QEMU runs in its own
/// session so the agent can restart without taking guests down; <see cref="InitializeAsync"/> re-attaches to them.
/// State comes only from QMP status and events and from the process exiting.</summary>
public sealed partial class QemuHypervisor(QemuHypervisorSettings settings, IHypervisorEvents events, ILogger<QemuHypervisor> logger)
    : IHypervisor, IStopReporting, IAsyncDisposable
{
    private const string DefinitionFile = "vm.json";
    private const string DiskFile = "disk.qcow2";
    private const string QmpSocketFile = "qmp.sock";
    private const string PidFile = "qemu.pid";
    private const string ConsoleFile = "console.log";
    private const string QemuLogFile = "qemu.log";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly ConcurrentDictionary<VmId, QemuVm> _attached = new();
    private readonly ConcurrentDictionary<VmId, SemaphoreSlim> _locks = new();
    private readonly QemuImg _qemuImg = new(settings.QemuImgBinary);
    private string? _accelerator;
    private volatile bool _disposing;

    /// <inheritdoc />
    public string Accelerator => _accelerator
        ?? (string.Equals(settings.Accelerator, AcceleratorProbe.Kvm, StringComparison.OrdinalIgnoreCase) ? AcceleratorProbe.Kvm : AcceleratorProbe.Tcg);

    private string VmsDirectory => Path.Combine(settings.DataDirectory, "vms");

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(VmsDirectory);
        _accelerator = await AcceleratorProbe.ResolveAsync(settings.Accelerator, settings.DataDirectory, settings.QemuBinary, logger, cancellationToken);

        foreach (var directory in Directory.EnumerateDirectories(VmsDirectory))
        {
            if (!Guid.TryParse(Path.GetFileName(directory), out var guid))
            {
                continue;
            }

            var id = new VmId(guid);
            if (_attached.ContainsKey(id))
            {
                continue;
            }

            try
            {
                await ReattachAsync(id, directory, cancellationToken);
            }
            catch (Exception ex) when (ex is QmpException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                LogReattachFailed(logger, id, ex.Message);
            }
        }
    }

    private async Task ReattachAsync(VmId id, string directory, CancellationToken cancellationToken)
    {
        var pidPath = Path.Combine(directory, PidFile);
        var socketPath = Path.Combine(directory, QmpSocketFile);
        if (!File.Exists(pidPath))
        {
            return;
        }

        if (!int.TryParse((await File.ReadAllTextAsync(pidPath, cancellationToken)).Trim(), CultureInfo.InvariantCulture, out var pid)
            || !IsLiveQemuFor(pid, id)
            || !File.Exists(socketPath))
        {
            // QEMU is gone (or the pid was reused): the files are leftovers of a run that ended while we were away.
            File.Delete(pidPath);
            File.Delete(socketPath);
            return;
        }

        var vm = new QemuVm(id, ReadDefinition(directory)?.Name ?? id.ToString(), directory) { Pid = pid };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            vm.Qmp = await QmpClient.ConnectAsync(socketPath, e => OnQmpEvent(vm, e), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"QMP of VM {id} did not greet within 5 s (another client may hold the socket).");
        }

        vm.State = await QueryStateAsync(vm.Qmp, cancellationToken);
        vm.Console = new ConsoleTail(id, Path.Combine(directory, ConsoleFile), fromEnd: true, events);
        _attached[id] = vm;
        _ = WatchExitAsync(vm);
        LogReattached(logger, id, pid, vm.State);
        events.StateObserved(new VmStateReport(id, vm.State, "re-attached after agent start", DateTimeOffset.UtcNow));
    }

    /// <summary>Identifies QEMU of this VM by its command line (it carries <c>-uuid</c>), and skips zombies:
    /// an exited process can linger until PID 1 reaps it.</summary>
    private static bool IsLiveQemuFor(int pid, VmId id)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return cmdline.Contains("qemu", StringComparison.Ordinal)
                && cmdline.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)
                && state is not ("Z" or "X");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VmInventoryItem>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<VmInventoryItem>();
        if (Directory.Exists(VmsDirectory))
        {
            foreach (var directory in Directory.EnumerateDirectories(VmsDirectory))
            {
                if (!Guid.TryParse(Path.GetFileName(directory), out var guid))
                {
                    continue;
                }

                var id = new VmId(guid);
                if (_attached.TryGetValue(id, out var vm))
                {
                    items.Add(new VmInventoryItem(id, vm.Name, vm.State, vm.Pid));
                }
                else if (ReadDefinition(directory) is { } definition)
                {
                    items.Add(new VmInventoryItem(id, definition.Name, VmObservation.Stopped, null));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<VmInventoryItem>>(items);
    }

    /// <inheritdoc />
    public async Task CreateAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken)
    {
        await using var gate = await LockAsync(definition.VmId, cancellationToken);
        await CreateCoreAsync(definition, progress, cancellationToken);
    }

    private async Task CreateCoreAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var directory = VmDirectory(definition.VmId);
        Directory.CreateDirectory(directory);
        progress.Report(10);
        await File.WriteAllTextAsync(Path.Combine(directory, DefinitionFile), JsonSerializer.Serialize(definition, JsonOptions), cancellationToken);

        var disk = Path.Combine(directory, DiskFile);
        if (!File.Exists(disk))
        {
            var temporary = disk + ".creating";
            File.Delete(temporary);
            if (definition.Boot.Kind == BootSource.DiskKind)
            {
                var image = ResolvePath(definition.Boot.Path);
                if (!File.Exists(image))
                {
                    throw new HypervisorException($"Boot image {image} does not exist on this node.");
                }

                await _qemuImg.CreateQcow2Async(temporary, definition.DiskGiB, image, definition.Boot.Format, cancellationToken);
            }
            else
            {
                await _qemuImg.CreateQcow2Async(temporary, definition.DiskGiB, null, null, cancellationToken);
            }

            // Rename last so a repeat after a crash never finds a half-written disk.
            File.Move(temporary, disk);
        }

        progress.Report(100);
        events.StateObserved(new VmStateReport(definition.VmId, VmObservation.Provisioned, "disk created", DateTimeOffset.UtcNow));
    }

    /// <inheritdoc />
    public async Task ResizeAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken)
    {
        await using var gate = await LockAsync(definition.VmId, cancellationToken);
        if (_attached.ContainsKey(definition.VmId))
        {
            throw new HypervisorException($"VM '{definition.Name}' is running on this node; stop it before resizing.");
        }

        var directory = VmDirectory(definition.VmId);
        var disk = Path.Combine(directory, DiskFile);
        if (!File.Exists(disk))
        {
            throw new HypervisorException($"VM '{definition.Name}' has no disk on this node ({disk}).");
        }

        progress.Report(10);
        // The disk first: if growing it fails, the definition on disk still says the old size.
        await _qemuImg.GrowAsync(disk, definition.DiskGiB, cancellationToken);
        progress.Report(80);
        await File.WriteAllTextAsync(Path.Combine(directory, DefinitionFile), JsonSerializer.Serialize(definition, JsonOptions), cancellationToken);
        progress.Report(100);
    }

    /// <inheritdoc />
    public async Task StartAsync(VmDefinition definition, CancellationToken cancellationToken)
    {
        await using var gate = await LockAsync(definition.VmId, cancellationToken);
        if (_attached.ContainsKey(definition.VmId))
        {
            return;
        }

        var directory = VmDirectory(definition.VmId);
        if (!File.Exists(Path.Combine(directory, DiskFile)))
        {
            await CreateCoreAsync(definition, new Progress<int>(), cancellationToken);
        }

        foreach (var stale in new[] { QmpSocketFile, PidFile, ConsoleFile })
        {
            File.Delete(Path.Combine(directory, stale));
        }

        var vm = new QemuVm(definition.VmId, definition.Name, directory);
        var startInfo = BuildStartInfo(definition, directory);
        vm.Process = new Process { StartInfo = startInfo };
        try
        {
            vm.Process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new HypervisorException($"Cannot start QEMU: {ex.Message}", ex);
        }

        vm.Pid = vm.Process.Id;
        vm.Console = new ConsoleTail(vm.Id, Path.Combine(directory, ConsoleFile), fromEnd: false, events);
        try
        {
            vm.Qmp = await ConnectQmpAsync(vm, cancellationToken);
            vm.State = await QueryStateAsync(vm.Qmp, cancellationToken);
        }
        catch (Exception ex)
        {
            await KillAndForgetAsync(vm);
            var log = Path.Combine(directory, QemuLogFile);
            var detail = File.Exists(log) ? (await File.ReadAllTextAsync(log, CancellationToken.None)).Trim() : "";
            throw new HypervisorException($"QEMU for VM {vm.Id} did not come up: {ex.Message} {detail}".Trim(), ex);
        }

        var pidPath = Path.Combine(directory, PidFile);
        if (File.Exists(pidPath) && int.TryParse((await File.ReadAllTextAsync(pidPath, cancellationToken)).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            vm.Pid = pid;
        }

        _attached[vm.Id] = vm;
        _ = WatchExitAsync(vm);
        LogStarted(logger, vm.Id, vm.Pid ?? 0, Accelerator);
        events.StateObserved(new VmStateReport(vm.Id, vm.State, "QEMU started", DateTimeOffset.UtcNow));
    }

    private ProcessStartInfo BuildStartInfo(VmDefinition definition, string directory)
    {
        // sh only redirects stdio to a file and execs setsid, which execs QEMU in a new session: the pid stays the
        // same, no pipe ties QEMU to the agent, and a signal to the agent's process group does not reach the guest.
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec setsid -w \"$@\" </dev/null >>\"$0\" 2>&1");
        startInfo.ArgumentList.Add(Path.Combine(directory, QemuLogFile));
        string[] arguments =
        [
            settings.QemuBinary,
            "-name", $"{definition.Name},process=novacron-{definition.VmId}",
            "-uuid", definition.VmId.ToString(),
            "-machine", $"q35,accel={Accelerator}",
            "-smp", definition.VCpus.ToString(CultureInfo.InvariantCulture),
            "-m", $"{definition.MemoryMiB.ToString(CultureInfo.InvariantCulture)}M",
            "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none",
            "-qmp", $"unix:{Path.Combine(directory, QmpSocketFile)},server=on,wait=off",
            "-pidfile", Path.Combine(directory, PidFile),
            "-chardev", $"file,id=con0,path={Path.Combine(directory, ConsoleFile)}",
            "-serial", "chardev:con0",
            "-drive", $"file={Path.Combine(directory, DiskFile)},if=virtio,format=qcow2",
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (definition.Boot.Kind == BootSource.KernelKind)
        {
            startInfo.ArgumentList.Add("-kernel");
            startInfo.ArgumentList.Add(ResolvePath(definition.Boot.Path));
            if (definition.Boot.InitrdPath is { } initrd)
            {
                startInfo.ArgumentList.Add("-initrd");
                startInfo.ArgumentList.Add(ResolvePath(initrd));
            }

            startInfo.ArgumentList.Add("-append");
            startInfo.ArgumentList.Add(definition.Boot.KernelCommandLine ?? "console=ttyS0");
        }

        return startInfo;
    }

    private async Task<QmpClient> ConnectQmpAsync(QemuVm vm, CancellationToken cancellationToken)
    {
        var socketPath = Path.Combine(vm.Directory, QmpSocketFile);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (vm.Process is { HasExited: true })
            {
                throw new HypervisorException($"QEMU exited with code {vm.Process.ExitCode}.");
            }

            if (File.Exists(socketPath))
            {
                try
                {
                    return await QmpClient.ConnectAsync(socketPath, e => OnQmpEvent(vm, e), cancellationToken);
                }
                catch (System.Net.Sockets.SocketException) when (deadline.Elapsed < settings.QmpConnectTimeout)
                {
                    // The socket file exists before QEMU listens on it.
                }
            }

            if (deadline.Elapsed > settings.QmpConnectTimeout)
            {
                throw new TimeoutException($"QMP socket {socketPath} did not answer within {settings.QmpConnectTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task<VmObservation> QueryStateAsync(QmpClient qmp, CancellationToken cancellationToken)
    {
        var status = await qmp.ExecuteAsync("query-status", null, cancellationToken);
        return status.GetProperty("status").GetString() switch
        {
            "running" => VmObservation.Running,
            "paused" or "suspended" or "prelaunch" or "inmigrate" or "postmigrate" or "finish-migrate" or "save-vm" or "restore-vm" or "debug" => VmObservation.Paused,
            "shutdown" => VmObservation.Stopped,
            _ => VmObservation.Failed,
        };
    }

    private void OnQmpEvent(QemuVm vm, QmpEvent e)
    {
        switch (e.Name)
        {
            case "STOP" when !vm.ShuttingDown:
                SetState(vm, VmObservation.Paused, "QMP STOP");
                break;
            case "RESUME":
                SetState(vm, VmObservation.Running, "QMP RESUME");
                break;
            case "SHUTDOWN":
                // Without -no-shutdown QEMU exits next; the exit reports Stopped.
                vm.ShuttingDown = true;
                break;
            case "RESET":
                // A reboot resets the machine inside the same process: the VM keeps running.
                SetState(vm, VmObservation.Running, "QMP RESET");
                break;
            default:
                break;
        }
    }

    private void SetState(QemuVm vm, VmObservation state, string reason)
    {
        lock (vm.Gate)
        {
            if (vm.State == state)
            {
                return;
            }

            vm.State = state;
        }

        events.StateObserved(new VmStateReport(vm.Id, state, reason, DateTimeOffset.UtcNow));
    }

    private async Task WatchExitAsync(QemuVm vm)
    {
        string reason;
        string? fault = null;
        if (vm.Process is { } process)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            reason = $"QEMU exited with code {process.ExitCode}";
            // A power-down, quit or kill we asked for is no fault; QEMU dying on its own with a failure code is.
            if (process.ExitCode != 0 && !vm.ShuttingDown)
            {
                fault = $"QEMU exited unexpectedly with code {process.ExitCode}";
            }
        }
        else
        {
            await vm.Qmp!.Closed;
            if (_disposing)
            {
                return;
            }

            // Not our child: wait briefly until the kernel has torn the process down (a zombie counts as gone).
            for (var i = 0; i < 100 && vm.Pid is { } pid && IsLiveQemuFor(pid, vm.Id); i++)
            {
                await Task.Delay(20);
            }

            reason = "QMP connection closed (QEMU exited)";
        }

        if (_disposing)
        {
            return;
        }

        await OnExitedAsync(vm, reason, fault);
    }

    private async Task OnExitedAsync(QemuVm vm, string reason, string? fault = null)
    {
        if (!vm.MarkExited())
        {
            return;
        }

        _attached.TryRemove(new KeyValuePair<VmId, QemuVm>(vm.Id, vm));
        if (vm.Console is { } console)
        {
            await console.DisposeAsync();
        }

        if (vm.Qmp is { } qmp)
        {
            await qmp.DisposeAsync();
        }

        vm.Process?.Dispose();
        TryDelete(Path.Combine(vm.Directory, QmpSocketFile));
        TryDelete(Path.Combine(vm.Directory, PidFile));
        lock (vm.Gate)
        {
            vm.State = VmObservation.Stopped;
        }

        LogExited(logger, vm.Id, reason);
        events.StateObserved(new VmStateReport(vm.Id, VmObservation.Stopped, reason, DateTimeOffset.UtcNow, fault));
        vm.Exited.TrySetResult();
    }

    /// <inheritdoc />
    public Task StopAsync(VmId vm, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        StopAsync(vm, gracePeriod, NoProgress.Instance, cancellationToken);

    /// <summary>ACPI power-down (resuming a paused guest first, since a paused guest cannot react), then quit when the
    /// guest has not stopped within <paramref name="gracePeriod"/>. Only the requests run under the VM's lock, not the
    /// wait for the guest: a <see cref="ForceStopAsync"/> or <see cref="DeleteAsync"/> meanwhile quits QEMU at once, and
    /// this stop then ends as succeeded (the VM is stopped) and says it was superseded.</summary>
    public async Task StopAsync(VmId vm, TimeSpan gracePeriod, IProgress<string> progress, CancellationToken cancellationToken)
    {
        QemuVm? running;
        await using (await LockAsync(vm, cancellationToken))
        {
            if (!_attached.TryGetValue(vm, out running))
            {
                return;
            }

            running.ShuttingDown = true;
            try
            {
                await ResumeIfPausedAsync(running, progress, cancellationToken);
                await running.Qmp!.ExecuteAsync("system_powerdown", null, cancellationToken);
            }
            catch (QmpException)
            {
                // QEMU is going away already; make sure it is gone.
                await ForceStopCoreAsync(running, cancellationToken);
                return;
            }
        }

        progress.Report(string.Create(CultureInfo.InvariantCulture, $"ACPI power-down sent; waiting up to {gracePeriod.TotalSeconds:0} s for the guest to power off"));
        try
        {
            await running.Exited.Task.WaitAsync(gracePeriod, cancellationToken);
            if (running.ForceStopped)
            {
                progress.Report("graceful stop superseded by force-stop; QEMU was quit");
            }

            return;
        }
        catch (TimeoutException)
        {
            LogGraceExpired(logger, vm, gracePeriod.TotalSeconds);
        }

        await using (await LockAsync(vm, cancellationToken))
        {
            if (running.Exited.Task.IsCompleted)
            {
                // The guest powered off just late, or a force-stop or delete got there while this stop waited for the lock.
                if (running.ForceStopped)
                {
                    progress.Report("graceful stop superseded by force-stop; QEMU was quit");
                }

                return;
            }

            progress.Report(string.Create(CultureInfo.InvariantCulture, $"guest did not respond to ACPI within {gracePeriod.TotalSeconds:0} s; quitting QEMU"));
            await ForceStopCoreAsync(running, cancellationToken);
        }
    }

    /// <summary>A paused guest ignores the power button: let it run so it can shut down.</summary>
    private async Task ResumeIfPausedAsync(QemuVm vm, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var status = await vm.Qmp!.ExecuteAsync("query-status", null, cancellationToken);
        if (status.GetProperty("status").GetString() != "paused")
        {
            return;
        }

        progress.Report("VM is paused; resuming it so the guest can handle the ACPI power-down");
        try
        {
            await vm.Qmp.ExecuteAsync("cont", null, cancellationToken);
        }
        catch (QmpException ex) when (ex.ErrorClass is not null)
        {
            // QEMU refused; the power-down is still worth a try, and the grace period bounds the wait.
            progress.Report($"could not resume the paused VM ({ex.Message}); the guest may not react to ACPI");
            return;
        }

        SetState(vm, VmObservation.Running, "QMP cont (resumed to power down)");
    }

    /// <inheritdoc />
    public async Task ForceStopAsync(VmId vm, CancellationToken cancellationToken)
    {
        await using var gate = await LockAsync(vm, cancellationToken);
        if (_attached.TryGetValue(vm, out var running))
        {
            running.ForceStopped = true;
            await ForceStopCoreAsync(running, cancellationToken);
        }
    }

    private async Task ForceStopCoreAsync(QemuVm vm, CancellationToken cancellationToken)
    {
        vm.ShuttingDown = true;
        try
        {
            await vm.Qmp!.ExecuteAsync("quit", null, cancellationToken).WaitAsync(settings.KillTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException)
        {
            // QEMU may close the socket before it answers quit; whether it exits is what counts.
        }

        try
        {
            await vm.Exited.Task.WaitAsync(settings.KillTimeout, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
            LogKilling(logger, vm.Id, $"still running {settings.KillTimeout.TotalSeconds:0} s after quit");
        }

        Kill(vm);
        try
        {
            await vm.Exited.Task.WaitAsync(settings.KillTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new HypervisorException($"QEMU of VM {vm.Id} (pid {vm.Pid}) did not exit after SIGKILL.");
        }
    }

    private static void Kill(QemuVm vm)
    {
        try
        {
            if (vm.Process is { } process)
            {
                process.Kill();
            }
            else if (vm.Pid is { } pid && IsLiveQemuFor(pid, vm.Id))
            {
                using var other = Process.GetProcessById(pid);
                other.Kill();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            // Exited in the meantime.
        }
    }

    private async Task KillAndForgetAsync(QemuVm vm)
    {
        Kill(vm);
        if (vm.Process is { } process)
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(settings.KillTimeout);
            process.Dispose();
        }

        if (vm.Qmp is { } qmp)
        {
            await qmp.DisposeAsync();
        }

        if (vm.Console is { } console)
        {
            await console.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async Task RebootAsync(VmId vm, CancellationToken cancellationToken)
    {
        var running = Attached(vm);
        await Qmp(running, "system_reset", cancellationToken);
    }

    /// <inheritdoc />
    public async Task PauseAsync(VmId vm, CancellationToken cancellationToken)
    {
        var running = Attached(vm);
        await Qmp(running, "stop", cancellationToken);
        SetState(running, VmObservation.Paused, "QMP stop");
    }

    /// <inheritdoc />
    public async Task ResumeAsync(VmId vm, CancellationToken cancellationToken)
    {
        var running = Attached(vm);
        await Qmp(running, "cont", cancellationToken);
        SetState(running, VmObservation.Running, "QMP cont");
    }

    /// <inheritdoc />
    public async Task DeleteAsync(VmId vm, CancellationToken cancellationToken)
    {
        await using (await LockAsync(vm, cancellationToken))
        {
            if (_attached.TryGetValue(vm, out var running))
            {
                running.ForceStopped = true;
                await ForceStopCoreAsync(running, cancellationToken);
            }

            var directory = VmDirectory(vm);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        _locks.TryRemove(vm, out _);
        events.StateObserved(new VmStateReport(vm, VmObservation.Deleted, "directory removed", DateTimeOffset.UtcNow));
    }

    /// <summary>The QEMU pid of a running VM, for diagnostics and tests.</summary>
    public int? GetPid(VmId vm) => _attached.TryGetValue(vm, out var running) ? running.Pid : null;

    private QemuVm Attached(VmId vm) =>
        _attached.TryGetValue(vm, out var running) ? running : throw new HypervisorException($"VM {vm} is not running on this node.");

    private static async Task Qmp(QemuVm vm, string command, CancellationToken cancellationToken)
    {
        try
        {
            await vm.Qmp!.ExecuteAsync(command, null, cancellationToken);
        }
        catch (QmpException ex)
        {
            throw new HypervisorException($"QEMU refused {command} for VM {vm.Id}: {ex.Message}", ex);
        }
    }

    private async Task<Releaser> LockAsync(VmId vm, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(vm, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    private readonly struct Releaser(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoProgress : IProgress<string>
    {
        public static readonly NoProgress Instance = new();

        public void Report(string value)
        {
        }
    }

    private string VmDirectory(VmId vm) => Path.Combine(VmsDirectory, vm.ToString());

    private string ResolvePath(string path) => Path.IsPathRooted(path) ? path : Path.Combine(settings.DataDirectory, path);

    private static VmDefinition? ReadDefinition(string directory)
    {
        try
        {
            return JsonSerializer.Deserialize<VmDefinition>(File.ReadAllText(Path.Combine(directory, DefinitionFile)), JsonOptions);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale file is ignored on the next start.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    /// <summary>Detaches from all VMs without stopping them: guests outlive the agent.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        foreach (var vm in _attached.Values)
        {
            if (vm.Console is { } console)
            {
                await console.DisposeAsync();
            }

            if (vm.Qmp is { } qmp)
            {
                await qmp.DisposeAsync();
            }
        }

        _attached.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId} started, QEMU pid {Pid}, accelerator {Accelerator}")]
    private static partial void LogStarted(ILogger logger, VmId vmId, int pid, string accelerator);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId} re-attached, QEMU pid {Pid}, state {State}")]
    private static partial void LogReattached(ILogger logger, VmId vmId, int pid, VmObservation state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId} could not be re-attached: {Reason}")]
    private static partial void LogReattachFailed(ILogger logger, VmId vmId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId} stopped: {Reason}")]
    private static partial void LogExited(ILogger logger, VmId vmId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId} did not power off within {Seconds} s; quitting QEMU")]
    private static partial void LogGraceExpired(ILogger logger, VmId vmId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: quit did not end QEMU ({Reason}); sending SIGKILL")]
    private static partial void LogKilling(ILogger logger, VmId vmId, string reason);
}
