using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NovaCron.Benchmarks;
using NovaCron.Domain.Vms;
using NovaCron.NodeAgent.Hypervisor.Qemu;
using NovaCron.Testing;
using NovaCron.Web.Realtime;

// NovaCron's own overhead against bare QEMU on the same test guest (TCG). Not a test: it prints figures.
// Usage: dotnet run -c Release --project tests/Benchmarks [-- --iterations N]
var iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
Console.WriteLine($"NovaCron bench: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {iterations} iterations, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

var images = await TestPaths.EnsureGuestImagesAsync();
var guest = Path.Combine(images, "novacron-test-guest");
var results = new List<Stats>();

results.AddRange(await BareQemu.MeasureAsync(guest, iterations));

await using (var stack = await NovaCronStack.StartAsync())
{
    results.AddRange(await ThroughNovaCron.MeasureAsync(stack, iterations));
}

Console.WriteLine();
Console.WriteLine("| measurement | n | median ms | p99 ms | min ms | max ms |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var stats in results)
{
    Console.WriteLine(stats.Row());
}

/// <summary>The floor: QEMU spawned directly and driven through QMP, no NovaCron in between.</summary>
internal static class BareQemu
{
    public static async Task<Stats[]> MeasureAsync(string guest, int iterations)
    {
        var dir = Path.Combine(Path.GetTempPath(), "novacron-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var disk = Path.Combine(dir, "disk.qcow2");
            using (var img = Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", disk, "1G"]))
            {
                await img.WaitForExitAsync();
            }

            var starts = new List<double>();
            var pauses = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var socket = Path.Combine(dir, "qmp.sock");
                File.Delete(socket);
                var clock = Stopwatch.StartNew();
                using var qemu = Process.Start(new ProcessStartInfo("qemu-system-x86_64")
                {
                    ArgumentList =
                    {
                        "-machine", "q35,accel=tcg", "-smp", "1", "-m", "256M", "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none",
                        "-qmp", $"unix:{socket},server=on,wait=off", "-chardev", $"file,id=con0,path={Path.Combine(dir, "console.log")}", "-serial", "chardev:con0",
                        "-drive", $"file={disk},if=virtio,format=qcow2",
                        "-kernel", Path.Combine(guest, "vmlinuz"), "-initrd", Path.Combine(guest, "initrd.img"), "-append", File.ReadAllText(Path.Combine(guest, "cmdline")).Trim(),
                    },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                await using var qmp = await ConnectAsync(socket);
                while ((await qmp.ExecuteAsync("query-status")).GetProperty("status").GetString() != "running")
                {
                }

                starts.Add(clock.Elapsed.TotalMilliseconds);

                // Pause timings are taken on a booted, idle guest, as on the NovaCron side: TCG boot keeps a core busy.
                var console = Path.Combine(dir, "console.log");
                await Eventually.TrueAsync(
                    () => Task.FromResult(File.Exists(console) && File.ReadAllText(console).Contains("NOVACRON-HEARTBEAT", StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(60),
                    "bare guest heartbeat");
                for (var j = 0; j < 5; j++)
                {
                    clock.Restart();
                    await qmp.ExecuteAsync("stop");
                    await qmp.ExecuteAsync("cont");
                    pauses.Add(clock.Elapsed.TotalMilliseconds);
                }

                await qmp.ExecuteAsync("quit");
                File.Delete(console);
                await qemu.WaitForExitAsync();
            }

            return [Stats.Of("bare QEMU: spawn → QMP status running", starts), Stats.Of("bare QMP: stop + cont round trip", pauses)];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<QmpClient> ConnectAsync(string socket)
    {
        while (true)
        {
            if (File.Exists(socket))
            {
                try
                {
                    return await QmpClient.ConnectAsync(socket, null, CancellationToken.None);
                }
                catch (System.Net.Sockets.SocketException)
                {
                }
            }

            await Task.Yield();
        }
    }
}

/// <summary>The same guest through the REST API, the control plane, the agent hub and the node agent.</summary>
internal static class ThroughNovaCron
{
    public static async Task<Stats[]> MeasureAsync(NovaCronStack stack, int iterations)
    {
        var feed = stack.WebServices.GetRequiredService<ClusterStateFeed>();
        var created = await stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "bench", vCpus = 1, memoryMiB = 256, diskGiB = 1, start = false }, NovaCronStack.Json);
        var vm = (await created.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;
        await stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(60));

        var starts = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var running = NextState(feed, vm.Id, VmState.Running);
            var clock = Stopwatch.StartNew();
            (await stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/start", null)).EnsureSuccessStatusCode();
            await running;
            starts.Add(clock.Elapsed.TotalMilliseconds);
            await stack.WaitForVmStateAsync(vm.Id, VmState.Running, TimeSpan.FromSeconds(30));
            (await stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/force-stop", null)).EnsureSuccessStatusCode();
            await stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(30));
        }

        feed.ForgetConsole(vm.Id);
        (await stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/start", null)).EnsureSuccessStatusCode();
        await stack.WaitForVmStateAsync(vm.Id, VmState.Running, TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(
            () => Task.FromResult(feed.ConsoleTail(vm.Id).Contains("NOVACRON-HEARTBEAT", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60),
            "guest heartbeat");

        var pauses = new List<double>();
        var toDom = new List<double>();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await Browser.SignInAsync(browser, stack.BaseAddress, NovaCronStack.AdminUserName, stack.AdminPassword, "/vms");
            // Records, in the page, the wall-clock time at which the state chip first shows each new text.
            await page.EvaluateAsync(
                """
                () => {
                  window.__stateSeen = [];
                  let last = null;
                  const read = () => document.querySelector('[data-testid="vm-state-bench"]')?.textContent.trim() ?? null;
                  new MutationObserver(() => {
                    const text = read();
                    if (text !== last) { last = text; window.__stateSeen.push({ text, at: Date.now() }); }
                  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
                  last = read();
                }
                """);

            for (var i = 0; i < iterations; i++)
            {
                var pausedAt = NextStateTime(feed, vm.Id, VmState.Paused);
                var since = await page.EvaluateAsync<double>("() => Date.now()");
                var requestedAt = DateTimeOffset.UtcNow;
                (await stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/pause", null)).EnsureSuccessStatusCode();
                var eventAt = await pausedAt;
                var pauseMs = (eventAt - requestedAt).TotalMilliseconds;
                var domAt = await WaitForDomAsync(page, "Paused", since);
                toDom.Add(domAt - eventAt.ToUnixTimeMilliseconds());

                // The next action waits until the pause operation has completed, as a person's would (untimed).
                await stack.WaitForVmStateAsync(vm.Id, VmState.Paused, TimeSpan.FromSeconds(30));
                var resumedAt = NextStateTime(feed, vm.Id, VmState.Running);
                requestedAt = DateTimeOffset.UtcNow;
                (await stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/resume", null)).EnsureSuccessStatusCode();
                pauses.Add(pauseMs + (await resumedAt - requestedAt).TotalMilliseconds);
                await stack.WaitForVmStateAsync(vm.Id, VmState.Running, TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        return
        [
            Stats.Of("NovaCron: POST /start → agent reports QMP running", starts),
            Stats.Of("NovaCron: POST /pause → Paused, POST /resume → Running", pauses),
            Stats.Of("NovaCron: control plane publishes the agent's STOP report → browser DOM shows Paused", toDom),
        ];
    }

    private static Task NextState(ClusterStateFeed feed, Guid vmId, VmState state) => NextStateTime(feed, vmId, state);

    private static Task<DateTimeOffset> NextStateTime(ClusterStateFeed feed, Guid vmId, VmState state)
    {
        var seen = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable? subscription = null;
        subscription = feed.Subscribe(change =>
        {
            if (change is VmChanged { Vm: var vm } && vm.Id == vmId && vm.State == state && seen.TrySetResult(change.At))
            {
                subscription?.Dispose();
            }

            return Task.CompletedTask;
        });
        return seen.Task;
    }

    private static async Task<double> WaitForDomAsync(IPage page, string text, double since)
    {
        var handle = await page.WaitForFunctionAsync(
            "([text, since]) => { const hit = window.__stateSeen.find(s => s.text === text && s.at >= since); return hit ? hit.at : null; }",
            new object[] { text, since },
            new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 5 });
        return await handle.JsonValueAsync<double>();
    }
}
