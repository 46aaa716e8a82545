namespace NovaCron.Web.Features.Vms;

/// <summary>Serialises capacity reservations in this control-plane process. With one control plane this makes
/// placement atomic; several control planes would need a database lock instead (noted in docs/adr).</summary>
public sealed class PlacementLock
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
