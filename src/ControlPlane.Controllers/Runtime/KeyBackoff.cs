using ControlPlane.Core.Resources;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// Per-key exponential backoff with jitter: the n-th consecutive failure of a key waits
/// min(max, base * 2^(n-1)), shortened by a random fraction up to the jitter. Not thread-safe; the work queue
/// calls it under its lock.
/// </summary>
internal sealed class KeyBackoff(TimeSpan baseDelay, TimeSpan maxDelay, double jitter, Random random)
{
    private readonly Dictionary<ResourceKey, int> _failures = [];

    /// <summary>Counts one more failure of <paramref name="key"/> and returns how long it should wait.</summary>
    public TimeSpan Next(ResourceKey key)
    {
        var failures = _failures.GetValueOrDefault(key);
        _failures[key] = failures + 1;
        var ceiling = Math.Min(baseDelay.Ticks * Math.Pow(2, Math.Min(failures, 62)), maxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ceiling * (1 - (jitter * random.NextDouble()))));
    }

    public int Failures(ResourceKey key) => _failures.GetValueOrDefault(key);

    public void Forget(ResourceKey key) => _failures.Remove(key);
}
