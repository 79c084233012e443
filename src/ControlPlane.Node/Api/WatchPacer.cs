namespace ControlPlane.Node.Api;

/// <summary>
/// Paces the streams of coalescing watchers (<c>coalesce_commits</c>) so that the node sends about
/// <c>messagesPerSecond</c> messages over all of them: a stream that sent events less than <see cref="Interval"/> ago
/// waits for its lane's next tick and then sends everything queued since, in one message. The interval is the number
/// of coalescing streams over that rate, at most <c>maxInterval</c>: a few watchers are not held at all, a thousand
/// watchers of a busy kind get about one message each per interval instead of one per commit, so the node and the
/// clients pay for the stream write, the HTTP/2 frame and the decoding once per batch. A stream that received nothing
/// for an interval sends its next event at once. Streams are spread over a few lanes, each with its own timer armed
/// only while a stream waits on it, so they do not all send in the same instant and make the last of them wait for the
/// reader to get through the others.
/// </summary>
public sealed class WatchPacer : IDisposable
{
    /// <summary>How many independent ticks the streams are spread over.</summary>
    public const int Lanes = 8;

    /// <summary>Below this a wait is not worth a timer: the stream sends at once.</summary>
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(1);

    private readonly Lane[] _lanes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxInterval;
    private readonly int _messagesPerSecond;
    private int _joined = -1;
    private int _streams;

    /// <param name="maxInterval">The most a paced message waits; zero turns pacing off.</param>
    /// <param name="messagesPerSecond">The rate of messages over all coalescing streams that pacing aims at.</param>
    /// <param name="time">The clock (fake in tests).</param>
    public WatchPacer(TimeSpan maxInterval, int messagesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerSecond, 1);
        _maxInterval = maxInterval;
        _messagesPerSecond = messagesPerSecond;
        _time = time;
        _lanes = maxInterval > TimeSpan.Zero ? [.. Enumerable.Range(0, Lanes).Select(_ => new Lane(time))] : [];
    }

    /// <summary>How long a stream that just sent events waits before sending more; zero when it need not wait.</summary>
    public TimeSpan Interval
    {
        get
        {
            if (_lanes.Length == 0) return TimeSpan.Zero;
            var interval = TimeSpan.FromSeconds((double)Streams / _messagesPerSecond);
            return interval < MinInterval ? TimeSpan.Zero : interval < _maxInterval ? interval : _maxInterval;
        }
    }

    /// <summary>The coalescing streams open on this node.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>A coalescing stream starts: it counts towards the interval until disposed, and gets a lane in turn.</summary>
    public PacedStream Join()
    {
        Interlocked.Increment(ref _streams);
        return new PacedStream(this, _lanes.Length == 0 ? 0 : (int)((uint)Interlocked.Increment(ref _joined) % Lanes));
    }

    public void Dispose()
    {
        foreach (var lane in _lanes) lane.Dispose();
    }

    /// <summary>One coalescing stream's pacing: when it last sent events, and its lane.</summary>
    public sealed class PacedStream : IDisposable
    {
        private readonly WatchPacer _pacer;
        private long _lastSent;
        private bool _left;

        internal PacedStream(WatchPacer pacer, int lane)
        {
            _pacer = pacer;
            Lane = lane;
        }

        public int Lane { get; }

        /// <summary>True when events went out less than <see cref="Interval"/> ago: wait for <see cref="NextTickAsync"/> first.</summary>
        public bool MustWait()
        {
            var interval = _pacer.Interval;
            return interval > TimeSpan.Zero && _lastSent != 0 && _pacer._time.GetElapsedTime(_lastSent) < interval;
        }

        /// <summary>Completes at the lane's next tick, at most <see cref="Interval"/> from now (at once after disposal).</summary>
        public Task NextTickAsync()
        {
            var interval = _pacer.Interval;
            return interval == TimeSpan.Zero ? Task.CompletedTask : _pacer._lanes[Lane].NextAsync(interval);
        }

        /// <summary>Events went out now.</summary>
        public void Sent() => _lastSent = _pacer._time.GetTimestamp();

        public void Dispose()
        {
            if (_left) return;
            _left = true;
            Interlocked.Decrement(ref _pacer._streams);
        }
    }

    private sealed class Lane : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly ITimer _timer;
        private TaskCompletionSource? _tick;
        private bool _disposed;

        public Lane(TimeProvider time) =>
            _timer = time.CreateTimer(static l => ((Lane)l!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public Task NextAsync(TimeSpan interval)
        {
            lock (_gate)
            {
                if (_disposed) return Task.CompletedTask;
                if (_tick is null)
                {
                    // Continuations run on the thread pool, not on the timer's thread, so the lane's streams send in parallel.
                    _tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _timer.Change(interval, Timeout.InfiniteTimeSpan);
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
