using System.Text;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Hypervisors;
using NovaCron.Domain.Vms;

namespace NovaCron.NodeAgent.Tests.Support;

/// <summary>A hand-written <see cref="IHypervisorEvents"/> that records everything and lets a test wait for a condition.</summary>
public sealed class RecordingEvents : IHypervisorEvents
{
    private readonly Lock _gate = new();
    private readonly Dictionary<VmId, StringBuilder> _console = [];
    private readonly List<VmStateReport> _states = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Signal)> _waiters = [];

    public void StateObserved(VmStateReport report)
    {
        lock (_gate)
        {
            _states.Add(report);
        }

        Notify();
    }

    public void ConsoleOutput(ConsoleChunk chunk)
    {
        lock (_gate)
        {
            if (!_console.TryGetValue(chunk.VmId, out var text))
            {
                _console[chunk.VmId] = text = new StringBuilder();
            }

            text.Append(chunk.Text);
        }

        Notify();
    }

    public string Console(VmId vm)
    {
        lock (_gate)
        {
            return _console.TryGetValue(vm, out var text) ? text.ToString() : "";
        }
    }

    public IReadOnlyList<VmStateReport> States(VmId vm)
    {
        lock (_gate)
        {
            return [.. _states.Where(s => s.VmId == vm)];
        }
    }

    public int CountInConsole(VmId vm, string text)
    {
        var console = Console(vm);
        var count = 0;
        for (var i = console.IndexOf(text, StringComparison.Ordinal); i >= 0; i = console.IndexOf(text, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public Task WaitForConsoleAsync(VmId vm, string text, TimeSpan timeout, int occurrences = 1) =>
        WaitAsync(() => CountInConsole(vm, text) >= occurrences, timeout, () => $"console of {vm} to show '{text}' x{occurrences}; it shows:\n{Console(vm)}");

    public Task WaitForStateAsync(VmId vm, VmObservation state, TimeSpan timeout) =>
        WaitAsync(() => States(vm).LastOrDefault()?.State == state, timeout, () => $"{vm} to be reported {state}; reports: {string.Join(", ", States(vm).Select(s => s.State))}");

    public async Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((condition, signal));
        }

        Notify();
        try
        {
            await signal.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what()}");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Signal == signal);
            }
        }
    }

    private void Notify()
    {
        (Func<bool> Condition, TaskCompletionSource Signal)[] waiters;
        lock (_gate)
        {
            waiters = [.. _waiters];
        }

        foreach (var (condition, signal) in waiters)
        {
            if (condition())
            {
                signal.TrySetResult();
            }
        }
    }
}
