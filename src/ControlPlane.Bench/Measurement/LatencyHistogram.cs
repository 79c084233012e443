using System.Numerics;

namespace ControlPlane.Bench.Measurement;

/// <summary>
/// A log-linear latency histogram in the style of HdrHistogram: values (microseconds) below 128 get a bucket
/// each; above that every power-of-two range is split into 64 equal buckets, so any recorded value is known
/// to within 1/64 (1.6 %) while the whole range up to 2^40 µs (12 days) takes 2,304 counters. Not
/// thread-safe: each worker records into its own histogram and the results are merged with <see cref="Add"/>.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Values below this are exact.</summary>
    private const int LinearLimit = 128;

    /// <summary>Buckets per power of two above <see cref="LinearLimit"/>.</summary>
    private const int SubBuckets = 64;

    private const int SubBucketBits = 6;

    /// <summary>Largest recordable value: larger ones are clamped (and still counted).</summary>
    public const long MaxValue = (1L << 40) - 1;

    private static readonly int BucketCount = IndexOf(MaxValue) + 1;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Records one value in microseconds; negative values count as 0, values above <see cref="MaxValue"/> as MaxValue.</summary>
    public void Record(long value)
    {
        value = Math.Clamp(value, 0, MaxValue);
        _counts[IndexOf(value)]++;
        Count++;
        Sum += value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
    }

    /// <summary>Adds every value recorded in <paramref name="other"/>.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        if (other.Count > 0)
        {
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }
    }

    /// <summary>
    /// The value at quantile <paramref name="q"/> (0..1): the highest value equivalent to the bucket holding
    /// the ceil(q * Count)-th smallest value, capped by the largest value recorded. 0 when empty.
    /// </summary>
    public long ValueAtQuantile(double q)
    {
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile is between 0 and 1");
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(Math.Max(HighestEquivalent(i), Min), Max);
        }

        return Max;
    }

    /// <summary>The bucket index of a value in [0, MaxValue].</summary>
    internal static int IndexOf(long value)
    {
        if (value < LinearLimit) return (int)value;
        var magnitude = (63 - BitOperations.LeadingZeroCount((ulong)value)) - SubBucketBits;
        return LinearLimit + ((magnitude - 1) * SubBuckets) + (int)((value >> magnitude) - SubBuckets);
    }

    /// <summary>The smallest value that falls into bucket <paramref name="index"/>.</summary>
    internal static long LowestEquivalent(int index)
    {
        if (index < LinearLimit) return index;
        var offset = index - LinearLimit;
        var magnitude = (offset / SubBuckets) + 1;
        return (long)((offset % SubBuckets) + SubBuckets) << magnitude;
    }

    /// <summary>The largest value that falls into bucket <paramref name="index"/>.</summary>
    internal static long HighestEquivalent(int index) =>
        index + 1 < BucketCount ? LowestEquivalent(index + 1) - 1 : MaxValue;
}
