using System.Diagnostics;
using System.Threading.Channels;
using NovaCron.NodeAgent.Hypervisor.Qemu;
using NovaCron.NodeAgent.Tests.Support;

namespace NovaCron.NodeAgent.Tests.Hypervisor.Qemu;

/// <summary>Talks to a real QEMU (no guest kernel needed: an empty machine runs and answers QMP).</summary>
public sealed class QmpClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TempDataDirectory _dir = new();
    private readonly Channel<QmpEvent> _events = Channel.CreateUnbounded<QmpEvent>();
    private Process? _qemu;
    private QmpClient? _client;

    private string SocketPath => Path.Combine(_dir.Path, "qmp.sock");

    public async ValueTask InitializeAsync()
    {
        var startInfo = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "-machine", "q35,accel=tcg", "-m", "64", "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none",
            "-qmp", $"unix:{SocketPath},server=on,wait=off",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _qemu = Process.Start(startInfo)!;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _client = await QmpClient.ConnectAsync(SocketPath, e => _events.Writer.TryWrite(e), TestContext.Current.CancellationToken);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (watch.Elapsed < Timeout && !_qemu.HasExited)
            {
                // QEMU has not created its socket yet: QEMU start-up is the condition we wait on.
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_qemu is not null)
        {
            _qemu.Kill();
            await _qemu.WaitForExitAsync();
            _qemu.Dispose();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task ConnectAsync_QemuListening_ReadsGreetingAndNegotiatesCapabilities()
    {
        Assert.Equal(7, _client!.Greeting.GetProperty("version").GetProperty("qemu").GetProperty("major").GetInt32());

        // query-status only answers after qmp_capabilities, so an answer proves the negotiation.
        var status = await _client.ExecuteAsync("query-status", null, TestContext.Current.CancellationToken);

        Assert.Equal("running", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_Stop_RaisesStopEventAndStatusPaused()
    {
        await _client!.ExecuteAsync("stop", null, TestContext.Current.CancellationToken);

        var stop = await NextEventAsync("STOP");
        var status = await _client.ExecuteAsync("query-status", null, TestContext.Current.CancellationToken);
        Assert.Equal("paused", status.GetProperty("status").GetString());
        Assert.InRange(stop.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task ExecuteAsync_ContAfterStop_RaisesResumeEvent()
    {
        await _client!.ExecuteAsync("stop", null, TestContext.Current.CancellationToken);
        await NextEventAsync("STOP");

        await _client.ExecuteAsync("cont", null, TestContext.Current.CancellationToken);

        await NextEventAsync("RESUME");
        var status = await _client.ExecuteAsync("query-status", null, TestContext.Current.CancellationToken);
        Assert.Equal("running", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_UnknownCommand_ThrowsWithQemuDescription()
    {
        var error = await Assert.ThrowsAsync<QmpException>(() => _client!.ExecuteAsync("no-such-command", null, TestContext.Current.CancellationToken));

        Assert.Equal("CommandNotFound", error.ErrorClass);
        Assert.Contains("The command no-such-command has not been found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentCallers_EachGetsItsOwnReply()
    {
        var calls = Enumerable.Range(0, 20)
            .Select(i => _client!.ExecuteAsync(i % 2 == 0 ? "query-status" : "query-name", null, TestContext.Current.CancellationToken))
            .ToArray();

        var replies = await Task.WhenAll(calls);

        for (var i = 0; i < replies.Length; i++)
        {
            Assert.Equal(i % 2 == 0, replies[i].TryGetProperty("status", out _));
        }
    }

    [Fact]
    public async Task Closed_QemuQuits_Completes()
    {
        try
        {
            await _client!.ExecuteAsync("quit", null, TestContext.Current.CancellationToken);
        }
        catch (QmpException)
        {
            // QEMU may close the socket before it answers quit.
        }

        await _client!.Closed.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<QmpException>(() => _client.ExecuteAsync("query-status", null, TestContext.Current.CancellationToken));
    }

    private async Task<QmpEvent> NextEventAsync(string name)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            var e = await _events.Reader.ReadAsync(timeout.Token);
            if (e.Name == name)
            {
                return e;
            }
        }
    }
}
