using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Hypervisors;
using NovaCron.NodeAgent.Commands;
using NovaCron.NodeAgent.Configuration;
using NovaCron.NodeAgent.Reporting;

namespace NovaCron.NodeAgent.Connection;

/// <summary>Keeps the SignalR connection to the control plane: connects out (retrying with backoff), registers with the
/// full inventory on every connect and reconnect, sends heartbeats, delivers the outbox and receives commands.</summary>
public sealed partial class AgentConnection(
    IOptions<AgentOptions> options,
    IHypervisor hypervisor,
    CommandExecutor executor,
    AgentOutbox outbox,
    ILogger<AgentConnection> logger) : BackgroundService
{
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private TaskCompletionSource _online = NewSignal();
    private TaskCompletionSource _closed = NewSignal();
    private TimeSpan _heartbeatInterval = DefaultHeartbeat;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var url = new Uri(settings.ControlPlaneUrl.TrimEnd('/') + AgentProtocol.HubPath);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(url, o => o.AccessTokenProvider = () => Task.FromResult<string?>(settings.EnrollmentToken))
            .WithAutomaticReconnect(new BackoffRetryPolicy())
            .Build();

        connection.On<AgentCommand>(AgentClientMethods.Execute, executor.Accept);
        connection.Reconnecting += error =>
        {
            GoOffline();
            LogReconnecting(logger, error?.Message ?? "connection lost");
            return Task.CompletedTask;
        };
        connection.Reconnected += connectionId =>
        {
            // Register off the SignalR callback: a failed Register stops the connection, which ends this session.
            _ = Task.Run(() => RegisterOrDropAsync(connection, stoppingToken), CancellationToken.None);
            return Task.CompletedTask;
        };
        connection.Closed += error =>
        {
            GoOffline();
            lock (_gate)
            {
                _closed.TrySetResult();
            }

            return Task.CompletedTask;
        };

        var pump = Task.Run(() => PumpAsync(connection, stoppingToken), CancellationToken.None);
        var heartbeat = Task.Run(() => HeartbeatAsync(connection, stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task closed;
                lock (_gate)
                {
                    _closed = NewSignal();
                    closed = _closed.Task;
                }

                await ConnectWithRetryAsync(connection, url, stoppingToken);
                await RegisterOrDropAsync(connection, stoppingToken);
                await closed.WaitAsync(stoppingToken);
                LogDisconnected(logger);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Agent stopping.
        }
        finally
        {
            await connection.StopAsync(CancellationToken.None);
            await Task.WhenAll(pump, heartbeat);
        }
    }

    private async Task ConnectWithRetryAsync(HubConnection connection, Uri url, CancellationToken stoppingToken)
    {
        for (var attempt = 0L; ; attempt++)
        {
            try
            {
                await connection.StartAsync(stoppingToken);
                LogConnected(logger, url);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = BackoffRetryPolicy.DelayFor(attempt + 1);
                LogConnectFailed(logger, url, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private async Task RegisterOrDropAsync(HubConnection connection, CancellationToken stoppingToken)
    {
        try
        {
            var settings = options.Value;
            var hello = new AgentHello(
                AgentProtocol.Version,
                settings.NodeName,
                HostInfo.Address(),
                HostInfo.ReadCapacity(settings.DataDirectory),
                typeof(AgentConnection).Assembly.GetName().Version?.ToString() ?? "0.0.0",
                hypervisor.Accelerator,
                await hypervisor.ListAsync(stoppingToken));
            var welcome = await connection.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, hello, stoppingToken);
            _heartbeatInterval = welcome.HeartbeatInterval > TimeSpan.Zero ? welcome.HeartbeatInterval : DefaultHeartbeat;
            LogRegistered(logger, welcome.NodeId.ToString(), hello.Inventory.Count, welcome.PendingCommands.Count);
            lock (_gate)
            {
                _online.TrySetResult();
            }

            foreach (var command in welcome.PendingCommands)
            {
                executor.Accept(command);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogRegisterFailed(logger, ex.Message);
            await connection.StopAsync(CancellationToken.None);
        }
    }

    private void GoOffline()
    {
        lock (_gate)
        {
            if (_online.Task.IsCompleted)
            {
                _online = NewSignal();
            }
        }
    }

    private Task WaitOnlineAsync(CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            return _online.Task.WaitAsync(stoppingToken);
        }
    }

    /// <summary>Sends outbox messages in order; a message is retried until the hub acknowledged it.</summary>
    private async Task PumpAsync(HubConnection connection, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync(stoppingToken))
            {
                while (true)
                {
                    await WaitOnlineAsync(stoppingToken);
                    try
                    {
                        await connection.InvokeAsync(message.Method, message.Payload, stoppingToken);
                        break;
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogSendFailed(logger, message.Method, ex.Message);
                        await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Agent stopping; undelivered messages are superseded by the inventory on the next start.
        }
    }

    private async Task HeartbeatAsync(HubConnection connection, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitOnlineAsync(stoppingToken);
                await Task.Delay(_heartbeatInterval, stoppingToken);
                if (connection.State != HubConnectionState.Connected)
                {
                    continue;
                }

                var inventory = await hypervisor.ListAsync(stoppingToken);
                var beat = new AgentHeartbeat(
                    DateTimeOffset.UtcNow,
                    HostInfo.CpuLoad(),
                    HostInfo.MemoryUsedMiB(),
                    inventory.Count(i => i.State == Domain.Vms.VmObservation.Running));
                try
                {
                    await connection.InvokeAsync(AgentHubMethods.Heartbeat, beat, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSendFailed(logger, AgentHubMethods.Heartbeat, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Agent stopping.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Url}")]
    private static partial void LogConnected(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to {Url}: {Reason}; retrying in {Seconds:0.0} s")]
    private static partial void LogConnectFailed(ILogger logger, Uri url, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered as node {NodeId} with {VmCount} VMs; {PendingCount} pending commands")]
    private static partial void LogRegistered(ILogger logger, string nodeId, int vmCount, int pendingCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Register failed: {Reason}; reconnecting")]
    private static partial void LogRegisterFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection lost ({Reason}); reconnecting")]
    private static partial void LogReconnecting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected; connecting again")]
    private static partial void LogDisconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Method} failed: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string method, string reason);
}
