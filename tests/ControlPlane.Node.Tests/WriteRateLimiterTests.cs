using ControlPlane.Node.Security;

namespace ControlPlane.Node.Tests;

public sealed class WriteRateLimiterTests
{
    [Fact]
    public void TryAcquire_AllowsTheBurst_ThenRefusesWithTheLimitAndARetryTime_PerClient()
    {
        // One token a minute: nothing is replenished while the test runs.
        using var limiter = new WriteRateLimiter(new RateLimitOptions { WritesPerSecond = 0.0166, Burst = 3 });

        Assert.Null(limiter.TryAcquire("principal wanda"));
        Assert.Null(limiter.TryAcquire("principal wanda"));
        Assert.Null(limiter.TryAcquire("principal wanda"));
        var refusal = limiter.TryAcquire("principal wanda");

        Assert.NotNull(refusal);
        Assert.Contains("principal wanda is over its write rate limit (0.0166 per second, burst 3)", refusal, StringComparison.Ordinal);
        Assert.Contains("retry after", refusal, StringComparison.Ordinal);
        Assert.Null(limiter.TryAcquire("principal rita"));
    }

    [Theory]
    [InlineData(0, 10, "WritesPerSecond must be positive")]
    [InlineData(-1, 10, "WritesPerSecond must be positive")]
    [InlineData(5, 0, "Burst must be at least 1")]
    public void Constructor_BadSettings_AreNamed(double rate, int burst, string expected)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WriteRateLimiter(new RateLimitOptions { WritesPerSecond = rate, Burst = burst }));
        Assert.Contains("ControlPlane:Security:RateLimit:" + expected, e.Message, StringComparison.Ordinal);
    }
}
