namespace ControlPlane.Client;

/// <summary>
/// Cancels one watch call when a single read has waited <c>silence</c> for a message: a member that sends neither
/// events nor bookmarks is paused, partitioned away or gone. The time the caller spends on a message between reads
/// does not count. A read costs one clock read and two field writes instead of re-arming a timer twice per message
/// (the timer queue's lock showed under a thousand busy watches); a timer checking every eighth of the bound cancels
/// within [silence, silence + silence/8] of the read's start. The timer runs until the call ends (disposal), also
/// while the caller holds a batch: about eight callbacks per bound per watch.
/// </summary>
internal sealed class WatchSilence : IDisposable
{
    private const long NotReading = long.MinValue;

    private readonly CancellationTokenSource _cancel = new();
    private readonly TimeProvider _time;
    private readonly ITimer _check;
    private long _readStarted = NotReading;

    public WatchSilence(TimeSpan silence, TimeProvider time)
    {
        _time = time;
        Bound = silence;
        var period = silence / 8;

        // The check needs none of the caller's async-local state (activities, log scopes): do not keep it alive.
        var suppress = !ExecutionContext.IsFlowSuppressed();
        if (suppress) ExecutionContext.SuppressFlow();
        try
        {
            _check = time.CreateTimer(static s => ((WatchSilence)s!).Check(), this, period, period);
        }
        finally
        {
            if (suppress) ExecutionContext.RestoreFlow();
        }
    }

    /// <summary>How long one read may wait for a message.</summary>
    public TimeSpan Bound { get; }

    /// <summary>Cancelled once a read waited the whole bound.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>True when this watchdog ended the call.</summary>
    public bool Elapsed => _cancel.IsCancellationRequested;

    public void ReadStarted() => Volatile.Write(ref _readStarted, _time.GetTimestamp());

    public void ReadEnded() => Volatile.Write(ref _readStarted, NotReading);

    public void Dispose()
    {
        _check.Dispose();
        _cancel.Dispose();
    }

    private void Check()
    {
        var started = Volatile.Read(ref _readStarted);
        if (started == NotReading || _time.GetElapsedTime(started) < Bound) return;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended while this check ran.
        }
    }
}
