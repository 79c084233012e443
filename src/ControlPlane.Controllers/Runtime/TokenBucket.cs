namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// An overall rate limit: <c>burst</c> tokens, refilled at <c>ratePerSecond</c>. A reservation always succeeds
/// and says how long to wait for its token (the balance may go negative), like Go's rate.Limiter.Reserve.
/// Not thread-safe; the work queue calls it under its lock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _ratePerSecond;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, int burst, TimeProvider time)
    {
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one token and returns how long until it is actually available (zero when one was on hand).</summary>
    public TimeSpan Reserve()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _ratePerSecond));
        _last = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _ratePerSecond);
    }
}
