namespace ControlPlane.Node.Api;

/// <summary>
/// Paces the streams of coalescing watchers (<c>coalesce_commits</c>): a stream that sent events less than an interval
/// ago waits for its lane's next tick and then sends everything queued since, in one message. A watcher that gets an
/// event now and then receives it at once; one that gets hundreds a second receives about one message per interval
/// instead of one per commit, so the node and the client pay for the stream write, the HTTP/2 frame and the decoding
/// once per batch. Streams are spread over a few lanes, each with its own timer armed only while a stream waits on it,
/// so a thousand watchers of a busy kind do not all send in the same instant and make the last of them wait for the
/// reader to get through the others.
/// </summary>
public sealed class WatchPacer : IDisposable
{
    /// <summary>How many independent ticks the streams are spread over.</summary>
    public const int Lanes = 8;

    private readonly Lane[] _lanes;
    private readonly TimeProvider _time;
    private int _assigned = -1;

    /// <param name="interval">The most a paced message waits; zero turns pacing off.</param>
    /// <param name="time">The clock (fake in tests).</param>
    public WatchPacer(TimeSpan interval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        Interval = interval;
        _time = time;
        _lanes = interval > TimeSpan.Zero ? [.. Enumerable.Range(0, Lanes).Select(_ => new Lane(interval, time))] : [];
    }

    public TimeSpan Interval { get; }

    /// <summary>The lane for a new stream: round-robin.</summary>
    public int AssignLane() => _lanes.Length == 0 ? 0 : (int)((uint)Interlocked.Increment(ref _assigned) % Lanes);

    /// <summary>
    /// True when a stream whose last events went out at <paramref name="lastSent"/> (a <see cref="TimeProvider"/>
    /// timestamp; 0 for none yet) must wait for <see cref="NextTickAsync"/> before sending more.
    /// </summary>
    public bool MustWait(long lastSent) => _lanes.Length > 0 && lastSent != 0 && _time.GetElapsedTime(lastSent) < Interval;

    /// <summary>Completes at the lane's next tick, at most <see cref="Interval"/> from now (at once after disposal).</summary>
    public Task NextTickAsync(int lane) => _lanes.Length == 0 ? Task.CompletedTask : _lanes[lane].NextAsync();

    public void Dispose()
    {
        foreach (var lane in _lanes) lane.Dispose();
    }

    private sealed class Lane : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly TimeSpan _interval;
        private readonly ITimer _timer;
        private TaskCompletionSource? _tick;
        private bool _disposed;

        public Lane(TimeSpan interval, TimeProvider time)
        {
            _interval = interval;
            _timer = time.CreateTimer(static l => ((Lane)l!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public Task NextAsync()
        {
            lock (_gate)
            {
                if (_disposed) return Task.CompletedTask;
                if (_tick is null)
                {
                    // Continuations run on the thread pool, not on the timer's thread, so the lane's streams send in parallel.
                    _tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _timer.Change(_interval, Timeout.InfiniteTimeSpan);
                }

                return _tick.Task;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
            }

            _timer.Dispose();
            Tick();
        }

        private void Tick()
        {
            TaskCompletionSource? tick;
            lock (_gate)
            {
                tick = _tick;
                _tick = null;
            }

            tick?.TrySetResult();
        }
    }
}
