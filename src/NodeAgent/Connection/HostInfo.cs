using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using NovaCron.Domain.Agents;

namespace NovaCron.NodeAgent.Connection;

/// <summary>Reads the host's capacity and load from the machine itself.</summary>
public static class HostInfo
{
    public static HostCapacity ReadCapacity(string dataDirectory)
    {
        long diskGiB = 0;
        try
        {
            Directory.CreateDirectory(dataDirectory);
            var drive = new DriveInfo(dataDirectory);
            diskGiB = drive.TotalSize / (1024L * 1024 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown disk size reads as 0: the control plane then places no disks here.
        }

        return new HostCapacity(Environment.ProcessorCount, MemInfoKiB("MemTotal") / 1024, diskGiB);
    }

    public static long MemoryUsedMiB() => (MemInfoKiB("MemTotal") - MemInfoKiB("MemAvailable")) / 1024;

    /// <summary>One-minute load average per CPU (1.0 = all CPUs busy).</summary>
    public static double CpuLoad()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture) / Environment.ProcessorCount;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The host name when it resolves, else the first non-loopback IPv4 address.</summary>
    public static string Address()
    {
        var hostName = Dns.GetHostName();
        try
        {
            if (Dns.GetHostAddresses(hostName).Any(a => !IPAddress.IsLoopback(a)))
            {
                return hostName;
            }
        }
        catch (SocketException)
        {
            // Not resolvable: fall back to an interface address.
        }

        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return address?.ToString() ?? hostName;
    }

    private static long MemInfoKiB(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            // Not Linux or not readable.
        }

        return 0;
    }
}
