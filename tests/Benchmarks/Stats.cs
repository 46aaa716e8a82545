using System.Globalization;

namespace NovaCron.Benchmarks;

/// <summary>Median and p99 (nearest rank) of a sample, in milliseconds.</summary>
public sealed record Stats(string Name, int Count, double Median, double P99, double Min, double Max)
{
    public static Stats Of(string name, IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Stats(name, sorted.Length, Percentile(sorted, 50), Percentile(sorted, 99), sorted[0], sorted[^1]);
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {Count} | {Median:0.00} | {P99:0.00} | {Min:0.00} | {Max:0.00} |");

    private static double Percentile(double[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
