namespace ControlPlane.Controllers.Runtime;

/// <summary>Retry pacing of one controller's work queue: per-key backoff and an overall rate limit.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>The delay after a key's first failure; it doubles with each further failure. Default 100 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest per-key delay. Default 5 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each backoff delay is shortened by a random fraction up to this (0 = none), so keys that failed together
    /// do not retry in lockstep. Default 0.2: a delay d becomes a value in (0.8 d, d].
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Retries allowed per second across all keys (token bucket refill rate). Default 20.</summary>
    public double RetriesPerSecond { get; init; } = 20;

    /// <summary>Retries allowed at once before the rate applies (token bucket size). Default 100.</summary>
    public int RetryBurst { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate(string owner)
    {
        if (BaseDelay <= TimeSpan.Zero) throw new ArgumentException($"{owner}: BaseDelay must be positive, got {BaseDelay}");
        if (MaxDelay < BaseDelay) throw new ArgumentException($"{owner}: MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay})");
        if (Jitter is < 0 or >= 1 || double.IsNaN(Jitter)) throw new ArgumentException($"{owner}: Jitter must be in [0, 1), got {Jitter}");
        if (!(RetriesPerSecond > 0) || double.IsInfinity(RetriesPerSecond)) throw new ArgumentException($"{owner}: RetriesPerSecond must be a positive number, got {RetriesPerSecond}");
        if (RetryBurst < 1) throw new ArgumentException($"{owner}: RetryBurst must be at least 1, got {RetryBurst}");
    }
}
