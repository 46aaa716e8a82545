using NovaCron.Domain.Operations;
using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;
using Xunit;

namespace NovaCron.Domain.Tests.Operations;

public sealed class OperationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReportProgress_SameStepManyPercentages_LogsTheStepOnceAndKeepsTheLatestPercentage()
    {
        var operation = Operation.Queue(OperationKinds.VmResize, VmId.New(), NodeId.New(), "web-1", "admin (test)", Now, TimeSpan.FromMinutes(2), ProjectId.Default);
        var before = operation.Log.Count;

        operation.ReportProgress(10, "resizing", Now);
        operation.ReportProgress(60, "resizing", Now);
        operation.ReportProgress(100, "resizing", Now);
        operation.ReportProgress(100, "done", Now);

        Assert.Equal(["started", "resizing", "done"], operation.Log.Skip(before).Select(l => l.Message));
        Assert.Equal(100, operation.Progress);
    }
}
