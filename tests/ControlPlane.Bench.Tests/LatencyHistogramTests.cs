using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void SmallValues_AreExact()
    {
        var h = new LatencyHistogram();
        for (var v = 0; v < 128; v++) h.Record(v);
        Assert.Equal(128, h.Count);
        Assert.Equal(0, h.ValueAtQuantile(0));
        Assert.Equal(63, h.ValueAtQuantile(0.5));
        Assert.Equal(127, h.ValueAtQuantile(1));
        Assert.Equal(63.5, h.Mean);
    }

    [Fact]
    public void Buckets_TileTheRangeWithoutGapsOrOverlap()
    {
        var index = LatencyHistogram.IndexOf(LatencyHistogram.MaxValue);
        for (var i = 0; i < index; i++)
        {
            Assert.Equal(LatencyHistogram.HighestEquivalent(i) + 1, LatencyHistogram.LowestEquivalent(i + 1));
            Assert.Equal(i, LatencyHistogram.IndexOf(LatencyHistogram.LowestEquivalent(i)));
            Assert.Equal(i, LatencyHistogram.IndexOf(LatencyHistogram.HighestEquivalent(i)));
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(1_000)]
    [InlineData(2_500)]
    [InlineData(57_000)]
    [InlineData(3_600_000_000)]
    public void LargeValues_AreKnownWithin1Point6Percent(long value)
    {
        var h = new LatencyHistogram();
        h.Record(value - 1);
        h.Record(value);
        var bucket = LatencyHistogram.IndexOf(value);
        var low = LatencyHistogram.LowestEquivalent(bucket);
        var high = LatencyHistogram.HighestEquivalent(bucket);
        Assert.InRange(value, low, high);
        Assert.True((high - low + 1) / (double)low <= 1.0 / 64, $"bucket [{low}, {high}] is wider than 1/64 of its start");
        // The quantile reports the bucket's highest value, capped by the largest value recorded.
        Assert.Equal(value, h.ValueAtQuantile(1));
    }

    [Fact]
    public void Quantiles_OfAUniformDistribution_AreWithinBucketPrecision()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 100_000; v++) h.Record(v);
        Assert.InRange(h.ValueAtQuantile(0.5), 50_000, 50_000 * 1.016);
        Assert.InRange(h.ValueAtQuantile(0.9), 90_000, 90_000 * 1.016);
        Assert.InRange(h.ValueAtQuantile(0.99), 99_000, 99_000 * 1.016);
        Assert.Equal(100_000, h.ValueAtQuantile(1));
        Assert.Equal(1, h.Min);
        Assert.Equal(100_000, h.Max);
    }

    [Fact]
    public void Quantile_UsesTheRankOfTheCeiling()
    {
        var h = new LatencyHistogram();
        h.Record(10);
        h.Record(20);
        h.Record(30);
        Assert.Equal(10, h.ValueAtQuantile(0.33));
        Assert.Equal(20, h.ValueAtQuantile(0.34));
        Assert.Equal(20, h.ValueAtQuantile(0.66));
        Assert.Equal(30, h.ValueAtQuantile(0.67));
    }

    [Fact]
    public void Add_MergesCountsExtremesAndSums()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(5);
        a.Record(7);
        b.Record(1_000);
        a.Add(b);
        a.Add(new LatencyHistogram());
        Assert.Equal(3, a.Count);
        Assert.Equal(5, a.Min);
        Assert.Equal(1_000, a.Max);
        Assert.Equal(1_012, a.Sum);
        Assert.Equal(1_000, a.ValueAtQuantile(1));
        Assert.Equal(7, a.ValueAtQuantile(0.5));
    }

    [Fact]
    public void OutOfRangeValues_AreClampedAndStillCounted()
    {
        var h = new LatencyHistogram();
        h.Record(-5);
        h.Record(long.MaxValue);
        Assert.Equal(2, h.Count);
        Assert.Equal(0, h.Min);
        Assert.Equal(LatencyHistogram.MaxValue, h.Max);
    }

    [Fact]
    public void Empty_ReportsZero_AndRejectsBadQuantiles()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.ValueAtQuantile(0.99));
        Assert.Equal(0, h.Mean);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.ValueAtQuantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.ValueAtQuantile(double.NaN));
    }
}
