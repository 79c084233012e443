using System.Globalization;
using System.Threading.RateLimiting;

namespace ControlPlane.Node.Security;

/// <summary>
/// A token bucket per client (principal or IP address): <see cref="RateLimitOptions.Burst"/> writes at once, then
/// <see cref="RateLimitOptions.WritesPerSecond"/>. Nothing waits in a queue: a write over the limit is refused at once
/// with the time after which one would be let in, as Kubernetes answers 429 with Retry-After.
/// </summary>
public sealed class WriteRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly RateLimitOptions _options;

    public WriteRateLimiter(RateLimitOptions options)
    {
        if (!double.IsFinite(options.WritesPerSecond) || options.WritesPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"{SecurityOptions.Section}:RateLimit:WritesPerSecond must be positive, not {options.WritesPerSecond}");
        if (options.Burst < 1) throw new ArgumentOutOfRangeException(nameof(options), $"{SecurityOptions.Section}:RateLimit:Burst must be at least 1, not {options.Burst}");
        _options = options;

        // One token every 1/rate seconds (whole tokens per second above 1/s), up to the burst.
        var perPeriod = options.WritesPerSecond >= 1 ? (int)Math.Round(options.WritesPerSecond) : 1;
        var period = options.WritesPerSecond >= 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1 / options.WritesPerSecond);
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one write from <paramref name="client"/>'s bucket; null when allowed, else why not.</summary>
    public string? TryAcquire(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired) return null;
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? $"; retry after {after.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : string.Empty;
        return $"{client} is over its write rate limit ({_options.WritesPerSecond.ToString(CultureInfo.InvariantCulture)} per second, burst {_options.Burst}){retry}";
    }

    public void Dispose() => _limiter.Dispose();
}
