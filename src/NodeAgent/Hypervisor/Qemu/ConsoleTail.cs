using System.Text;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Hypervisors;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>Follows a VM's console log file and publishes what is appended as <see cref="ConsoleChunk"/>s.
/// Polls every 50 ms: inotify adds little for one small file per VM and misses nothing polling would not.</summary>
internal sealed class ConsoleTail : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly VmId _vm;
    private readonly string _path;
    private readonly IHypervisorEvents _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly Task _loop;
    private long _position;

    public ConsoleTail(VmId vm, string path, bool fromEnd, IHypervisorEvents events)
    {
        _vm = vm;
        _path = path;
        _events = events;
        _position = fromEnd && File.Exists(path) ? new FileInfo(path).Length : 0;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final drain happens in DisposeAsync.
        }
    }

    private void Drain()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _position)
            {
                _position = 0; // truncated: QEMU started again on the same file
            }

            if (stream.Length == _position)
            {
                return;
            }

            stream.Position = _position;
            var bytes = new byte[Math.Min(stream.Length - _position, 64 * 1024)];
            var read = stream.Read(bytes, 0, bytes.Length);
            _position += read;
            var chars = new char[_decoder.GetCharCount(bytes, 0, read)];
            _decoder.GetChars(bytes, 0, read, chars, 0);
            if (chars.Length > 0)
            {
                _events.ConsoleOutput(new ConsoleChunk(_vm, new string(chars), DateTimeOffset.UtcNow));
            }
        }
        catch (IOException)
        {
            // The directory is being deleted or the file rotated; try again on the next tick.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Drain();
        _stop.Dispose();
    }
}
