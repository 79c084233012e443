namespace ControlPlane.Node.Security;

/// <summary>
/// Section ControlPlane:Security:RateLimit: how fast one client may change things. Every mutating or admin call ends
/// on the leader, so this is what keeps one client from taking the leader's whole write capacity (reads are served
/// by any member and are not limited). Off when <see cref="WritesPerSecond"/> is 0.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The sustained rate per client: per principal with a token file, else per client IP address. 0: no limit.</summary>
    public double WritesPerSecond { get; set; }

    /// <summary>How many writes a client may make at once before the rate applies (a token bucket's size).</summary>
    public int Burst { get; set; } = 100;

    public bool Enabled => WritesPerSecond > 0;
}
