using System.Net;
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

/// <summary>Keeps the SignalR connection to the control plane: enrolls once (trading the enrollment token for a node
/// credential kept on disk), connects out with the credential (retrying with backoff), registers with the full inventory
/// on every connect and reconnect, sends heartbeats, delivers the outbox and receives commands.</summary>
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
    private string? _credential;
    private bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var url = new Uri(settings.ControlPlaneUrl.TrimEnd('/') + AgentProtocol.HubPath);
        try
        {
            _credential = await EnsureCredentialAsync(url, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await using var connection = new HubConnectionBuilder()
            .WithUrl(url, o => o.AccessTokenProvider = () => Task.FromResult<string?>(_credential))
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
            var failedSessions = 0L;
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

                // A session that never registered (refused, wrong node name) must not turn into a hot reconnect loop.
                failedSessions = _registered ? 0 : failedSessions + 1;
                _registered = false;
                if (failedSessions > 0)
                {
                    await Task.Delay(BackoffRetryPolicy.DelayFor(failedSessions + 1), stoppingToken);
                }
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
                if (ex is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden })
                {
                    LogCredentialRefused(logger, AgentCredentialStore.PathFor(options.Value.DataDirectory), delay.TotalSeconds);
                }
                else
                {
                    LogConnectFailed(logger, url, ex.Message, delay.TotalSeconds);
                }

                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    /// <summary>The node credential from disk, or a new one from enrolling with the enrollment token (retried with
    /// backoff until it works: the control plane may be down, or an administrator may still have to act).</summary>
    private async Task<string> EnsureCredentialAsync(Uri url, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (AgentCredentialStore.Read(settings.DataDirectory) is { } stored)
        {
            return stored;
        }

        for (var attempt = 0L; ; attempt++)
        {
            try
            {
                await using var enrollment = new HubConnectionBuilder()
                    .WithUrl(url, o => o.AccessTokenProvider = () => Task.FromResult<string?>(settings.EnrollmentToken))
                    .Build();
                await enrollment.StartAsync(stoppingToken);
                var result = await enrollment.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest(settings.NodeName), stoppingToken);
                await AgentCredentialStore.WriteAsync(settings.DataDirectory, result.CredentialSecret, stoppingToken);
                LogEnrolled(logger, result.NodeName, AgentCredentialStore.PathFor(settings.DataDirectory));
                return result.CredentialSecret;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = BackoffRetryPolicy.DelayFor(attempt + 1);
                var reason = ex is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden }
                    ? "the control plane refused the enrollment token (unknown, expired, revoked or already used)"
                    : ex.Message;
                LogEnrollFailed(logger, reason, delay.TotalSeconds);
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
            _registered = true;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The control plane refused this node's credential ({CredentialPath}): it was revoked or is unknown. To enroll again, delete the file and set Agent:EnrollmentToken to a new enrollment token (nce_…) an administrator created; retrying in {Seconds:0.0} s")]
    private static partial void LogCredentialRefused(ILogger logger, string credentialPath, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolled as node {NodeName}; credential kept in {CredentialPath}")]
    private static partial void LogEnrolled(ILogger logger, string nodeName, string credentialPath);

    [LoggerMessage(Level = LogLevel.Error, Message = "Enrolling failed: {Reason}; retrying in {Seconds:0.0} s")]
    private static partial void LogEnrollFailed(ILogger logger, string reason, double seconds);

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
