namespace NovaCron.NodeAgent.Tests.Support;

/// <summary>A unique, short data directory per test class (unix socket paths are limited to 108 bytes).</summary>
public sealed class TempDataDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine("/tmp", "nc-" + Guid.NewGuid().ToString("N")[..10]);

    public TempDataDirectory() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
