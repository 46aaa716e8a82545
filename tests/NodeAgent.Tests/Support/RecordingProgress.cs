namespace NovaCron.NodeAgent.Tests.Support;

/// <summary>Records progress messages synchronously and lets a test wait for one.</summary>
public sealed class RecordingProgress : IProgress<string>
{
    private readonly Lock _gate = new();
    private readonly List<string> _messages = [];
    private readonly List<(string Text, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public void Report(string value)
    {
        List<TaskCompletionSource> matched;
        lock (_gate)
        {
            _messages.Add(value);
            matched = [.. _waiters.Where(w => value.Contains(w.Text, StringComparison.Ordinal)).Select(w => w.Signal)];
        }

        matched.ForEach(s => s.TrySetResult());
    }

    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _waiters.Add((text, signal));
        }

        try
        {
            await signal.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for progress '{text}'; got: {string.Join(" | ", Messages)}");
        }
    }
}
