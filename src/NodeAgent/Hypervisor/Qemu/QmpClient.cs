using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>An asynchronous QMP event as QEMU sent it.</summary>
public sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp);

/// <summary>QEMU answered a command with <c>error</c>, or the connection failed.</summary>
public sealed class QmpException(string message, string? errorClass = null, Exception? inner = null) : Exception(message, inner)
{
    public string? ErrorClass { get; } = errorClass;
}

/// <summary>A small QMP client over the unix socket of one QEMU process. Concurrent callers may execute commands;
/// replies are matched by <c>id</c>. Events are delivered in order on the reader loop through the callback given
/// to <see cref="ConnectAsync"/>, so the callback must not block.</summary>
public sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<QmpEvent>? _onEvent;
    private Task _readLoop = Task.CompletedTask;
    private long _nextId;

    private QmpClient(Socket socket, Action<QmpEvent>? onEvent)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
        _onEvent = onEvent;
    }

    /// <summary>The greeting QEMU sent on connect (the <c>QMP</c> object).</summary>
    public JsonElement Greeting { get; private set; }

    /// <summary>Completes when the socket closes (QEMU exited or the client was disposed).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Connects, reads the greeting and negotiates capabilities.</summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, Action<QmpEvent>? onEvent, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        QmpClient? client = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            client = new QmpClient(socket, onEvent);
            var line = await client._reader.ReadLineAsync(cancellationToken)
                ?? throw new QmpException($"QMP socket {socketPath} closed before the greeting.");
            using (var greeting = JsonDocument.Parse(line))
            {
                if (!greeting.RootElement.TryGetProperty("QMP", out var qmp))
                {
                    throw new QmpException($"Unexpected QMP greeting: {line}");
                }

                client.Greeting = qmp.Clone();
            }

            client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            await client.ExecuteAsync("qmp_capabilities", null, cancellationToken);
            return client;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs a command and returns its <c>return</c> value.</summary>
    /// <exception cref="QmpException">QEMU answered with an error (the message carries its <c>desc</c>) or the connection closed.</exception>
    public async Task<JsonElement> ExecuteAsync(string command, object? arguments = null, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new JsonObject { ["execute"] = command, ["id"] = id };
        if (arguments is not null)
        {
            request["arguments"] = JsonSerializer.SerializeToNode(arguments);
        }

        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (_closed.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw new QmpException($"QMP connection is closed; cannot run {command}.");
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(request.ToJsonString() + "\n");
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                await _stream.WriteAsync(bytes, cancellationToken);
            }
            finally
            {
                _writeLock.Release();
            }

            return await reply.Task.WaitAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new QmpException($"QMP connection failed while running {command}: {ex.Message}", null, ex);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _reader.ReadLineAsync() is { } line)
            {
                if (line.Length > 0)
                {
                    Dispatch(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or JsonException)
        {
            // The socket closed under us: that is how QEMU exiting looks from here.
        }
        finally
        {
            _closed.TrySetResult();
            foreach (var (_, reply) in _pending)
            {
                reply.TrySetException(new QmpException("QMP connection closed before the reply arrived."));
            }
        }
    }

    private void Dispatch(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.TryGetProperty("event", out var name))
        {
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            var timestamp = DateTimeOffset.UnixEpoch;
            if (root.TryGetProperty("timestamp", out var ts))
            {
                timestamp = DateTimeOffset.FromUnixTimeSeconds(ts.GetProperty("seconds").GetInt64())
                    .AddTicks(ts.GetProperty("microseconds").GetInt64() * 10);
            }

            _onEvent?.Invoke(new QmpEvent(name.GetString() ?? "", data, timestamp));
            return;
        }

        if (!root.TryGetProperty("id", out var idElement))
        {
            return;
        }

        var id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : idElement.GetRawText();
        if (id is null || !_pending.TryGetValue(id, out var reply))
        {
            return;
        }

        if (root.TryGetProperty("error", out var error))
        {
            var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() : null;
            var desc = error.TryGetProperty("desc", out var dsc) ? dsc.GetString() : error.GetRawText();
            reply.TrySetException(new QmpException($"QMP error {errorClass}: {desc}", errorClass));
        }
        else
        {
            reply.TrySetResult(root.TryGetProperty("return", out var result) ? result.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by QEMU.
        }

        _socket.Dispose();
        await _readLoop;
        _reader.Dispose();
        await _stream.DisposeAsync();
        _writeLock.Dispose();
    }
}
