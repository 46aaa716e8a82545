using NovaCron.Web.Features.Agents;

namespace NovaCron.Web.Features.Operations;

/// <summary>Owner of every transitional state's deadline: periodically fails overdue operations and marks silent nodes Offline.</summary>
public sealed partial class OperationSupervisor(AgentReportsHandler reports, TimeProvider clock, ILogger<OperationSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await reports.SuperviseAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSuperviseFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervising operations failed; trying again on the next tick")]
    private static partial void LogSuperviseFailed(ILogger logger, Exception exception);
}
