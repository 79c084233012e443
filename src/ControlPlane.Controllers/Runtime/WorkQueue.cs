using ControlPlane.Core.Resources;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// A client-go style work queue of resource keys.
/// <list type="bullet">
/// <item>A key queued several times before a worker takes it is handed out once (deduplication).</item>
/// <item>A key is never handed to two workers at once: a key added while it is being processed is marked dirty
/// and handed out again after <see cref="Done"/>.</item>
/// <item><see cref="AddAfter"/> delays a key; <see cref="AddRateLimited"/> delays it by the larger of its own
/// exponential backoff (with jitter) and the overall token bucket; <see cref="Forget"/> resets the backoff.</item>
/// <item><see cref="ShutDown"/> stops accepting keys and drops the queued ones; <see cref="WaitForIdleAsync"/>
/// lets the in-flight ones finish within a bound.</item>
/// </list>
/// All time comes from the <see cref="TimeProvider"/>, so tests drive it.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<ResourceKey> _ready = new();
    private readonly HashSet<ResourceKey> _dirty = [];
    private readonly HashSet<ResourceKey> _processing = [];
    private readonly Dictionary<ResourceKey, long> _queuedAt = [];
    private readonly PriorityQueue<ResourceKey, TimeSpan> _waiting = new();
    private readonly Dictionary<ResourceKey, TimeSpan> _waitingUntil = [];
    private readonly TimeProvider _time;
    private readonly KeyBackoff _backoff;
    private readonly TokenBucket _bucket;
    private readonly ControllerMetrics? _metrics;
    private readonly long _origin;
    private readonly ITimer _timer;
    private TimeSpan _timerDue = TimeSpan.MaxValue;
    private TaskCompletionSource _available = NewSignal();
    private TaskCompletionSource? _idle;
    private bool _shuttingDown;

    /// <param name="name">The controller this queue serves (the metrics tag).</param>
    /// <param name="options">Backoff and rate limit.</param>
    /// <param name="time">The clock for delays, backoff and the rate limit.</param>
    /// <param name="random">Jitter source; <see cref="Random.Shared"/> when null. Pass a seeded one for reproducible tests.</param>
    /// <param name="metrics">Where to count adds, retries and depth; none when null.</param>
    public WorkQueue(string name, WorkQueueOptions options, TimeProvider time, Random? random = null, ControllerMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        options.Validate($"work queue {name}");
        Name = name;
        _time = time;
        _backoff = new KeyBackoff(options.BaseDelay, options.MaxDelay, options.Jitter, random ?? Random.Shared);
        _bucket = new TokenBucket(options.RetriesPerSecond, options.RetryBurst, time);
        _metrics = metrics;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        metrics?.Register(this);
    }

    public string Name { get; }

    /// <summary>Keys ready to be handed out (the queue depth).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _ready.Count;
        }
    }

    /// <summary>Keys handed out and not yet <see cref="Done"/>.</summary>
    public int Processing
    {
        get
        {
            lock (_gate) return _processing.Count;
        }
    }

    /// <summary>Keys waiting for a delay (<see cref="AddAfter"/>, <see cref="AddRateLimited"/>) to pass.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waitingUntil.Count;
        }
    }

    /// <summary>Ready, processing and waiting counts read together, so a key moving between them is never missed.</summary>
    public (int Ready, int Processing, int Waiting) Depths
    {
        get
        {
            lock (_gate) return (_ready.Count, _processing.Count, _waitingUntil.Count);
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate) return _shuttingDown;
        }
    }

    /// <summary>Queues <paramref name="key"/>; false when it was already queued (or the queue is shutting down).</summary>
    public bool Add(ResourceKey key)
    {
        lock (_gate) return AddLocked(key);
    }

    /// <summary>Queues <paramref name="key"/> once <paramref name="delay"/> has passed; a key already waiting keeps the earlier time.</summary>
    public void AddAfter(ResourceKey key, TimeSpan delay)
    {
        lock (_gate)
        {
            if (_shuttingDown) return;
            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var at = Now() + delay;
            if (_waitingUntil.TryGetValue(key, out var existing) && existing <= at) return;
            _waitingUntil[key] = at;
            _waiting.Enqueue(key, at);
            ArmTimer();
        }
    }

    /// <summary>
    /// Queues <paramref name="key"/> after the larger of its next backoff delay and the overall rate limit's,
    /// and returns that delay (zero when the queue is shutting down).
    /// </summary>
    public TimeSpan AddRateLimited(ResourceKey key)
    {
        lock (_gate)
        {
            if (_shuttingDown) return TimeSpan.Zero;
            var backoff = _backoff.Next(key);
            var limit = _bucket.Reserve();
            var delay = backoff > limit ? backoff : limit;
            _metrics?.Retried(Name);
            AddAfter(key, delay);
            return delay;
        }
    }

    /// <summary>Forgets the failures of <paramref name="key"/>: its next backoff starts from the base delay.</summary>
    public void Forget(ResourceKey key)
    {
        lock (_gate) _backoff.Forget(key);
    }

    /// <summary>Consecutive failures of <paramref name="key"/> since it was last forgotten.</summary>
    public int NumRequeues(ResourceKey key)
    {
        lock (_gate) return _backoff.Failures(key);
    }

    /// <summary>
    /// Waits for a key and marks it processing; the caller must call <see cref="Done"/> with it. Returns null once
    /// the queue is shutting down; throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public async ValueTask<ResourceKey?> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task available;
            lock (_gate)
            {
                if (_shuttingDown) return null;
                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    if (_queuedAt.Remove(key, out var queuedAt)) _metrics?.Dequeued(Name, _time.GetElapsedTime(queuedAt));
                    return key;
                }

                available = _available.Task;
            }

            await available.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the processing of <paramref name="key"/>; if it was added meanwhile, it is queued again.</summary>
    public void Done(ResourceKey key)
    {
        lock (_gate)
        {
            if (!_processing.Remove(key)) throw new InvalidOperationException($"Done({key}) but that key is not being processed by queue {Name}");
            if (!_shuttingDown && _dirty.Contains(key))
            {
                _ready.Enqueue(key);
                Signal();
            }

            if (_processing.Count == 0 && _idle is not null)
            {
                _idle.TrySetResult();
                _idle = null;
            }
        }
    }

    /// <summary>
    /// Stops accepting keys, drops the queued and delayed ones (a new leader lists everything again) and wakes
    /// every waiting <see cref="GetAsync"/> with null. Keys being processed may still call <see cref="Done"/>.
    /// Returns how many keys were dropped.
    /// </summary>
    public int ShutDown()
    {
        lock (_gate)
        {
            if (_shuttingDown) return 0;
            _shuttingDown = true;
            var dropped = new HashSet<ResourceKey>(_dirty);
            dropped.UnionWith(_waitingUntil.Keys);
            _ready.Clear();
            _dirty.Clear();
            _queuedAt.Clear();
            _waiting.Clear();
            _waitingUntil.Clear();
            _timerDue = TimeSpan.MaxValue;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Signal();
            return dropped.Count;
        }
    }

    /// <summary>True once nothing is being processed; false if <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout)
    {
        Task idle;
        lock (_gate)
        {
            if (_processing.Count == 0) return true;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(timeout, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        ShutDown();
        _timer.Dispose();
        _metrics?.Unregister(this);
    }

    private bool AddLocked(ResourceKey key)
    {
        if (_shuttingDown || !_dirty.Add(key)) return false;
        _metrics?.Added(Name);
        _queuedAt[key] = _time.GetTimestamp();
        if (_processing.Contains(key)) return true;
        _ready.Enqueue(key);
        Signal();
        return true;
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = TimeSpan.MaxValue;
            var now = Now();
            while (_waiting.TryPeek(out var key, out var at) && at <= now)
            {
                _waiting.Dequeue();

                // A key moved to an earlier time leaves its later entry behind; only the current one counts.
                if (_waitingUntil.TryGetValue(key, out var current) && current == at)
                {
                    _waitingUntil.Remove(key);
                    AddLocked(key);
                }
            }

            ArmTimer();
        }
    }

    private void ArmTimer()
    {
        if (_shuttingDown || !_waiting.TryPeek(out _, out var next) || next >= _timerDue) return;
        _timerDue = next;
        var due = next - Now();
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void Signal()
    {
        var available = _available;
        _available = NewSignal();
        available.TrySetResult();
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
