using ControlPlane.Core.Errors;
using ControlPlane.Core.Watch;
using ControlPlane.Storage.Apply;

namespace ControlPlane.Storage.Watch;

/// <summary>
/// Fans applied changes out to watchers and keeps a bounded history so watches can resume. Publishing runs
/// on the apply thread and never blocks: a watcher that cannot keep up is ended with ResourceExhausted.
/// Subscribing copies the retained history after the start position and registers the watcher under the
/// same lock as publishing, so a watch sees every change after its start exactly once, in commit order.
/// </summary>
public sealed class WatchHub
{
    private readonly object _gate = new();
    private readonly WatchHubOptions _options;
    private readonly TimeProvider _time;
    private readonly Queue<(ResourceChange Change, long Timestamp)> _history = new();
    private readonly List<Watcher> _watchers = [];
    private long _coveredFrom;
    private long _lastIndex;

    public WatchHub(WatchHubOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>History is complete for every resourceVersion greater than this.</summary>
    public long OldestResumable
    {
        get
        {
            lock (_gate) return _coveredFrom;
        }
    }

    public long LastIndex
    {
        get
        {
            lock (_gate) return _lastIndex;
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_gate) return _watchers.Count;
        }
    }

    /// <summary>Called by apply for every change, in commit order.</summary>
    public void Publish(ResourceChange change)
    {
        lock (_gate)
        {
            _history.Enqueue((change, _time.GetTimestamp()));
            _lastIndex = change.ResourceVersion;
            Trim();
            if (_watchers.Count == 0) return;
            var messages = new ChangeMessages(change);
            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                if (!_watchers[i].Offer(messages)) _watchers.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Called by apply for a committed command that changed nothing. No event carries its index, but it is applied, so
    /// bookmarks may promise it: a watch started from a list whose resourceVersion is that index (lists report the
    /// applied index) then sees a bookmark reach it instead of waiting for the next change.
    /// </summary>
    public void NoteApplied(long index)
    {
        lock (_gate)
        {
            if (index > _lastIndex) _lastIndex = index;
        }
    }

    /// <summary>The state was replaced wholesale (snapshot install): every watcher must re-list.</summary>
    public void Reset(long appliedIndex, string reason)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Fail(new ControlPlaneException(ErrorCode.Expired, $"{reason}; re-list and watch again") { OldestRetained = appliedIndex });
            }

            _watchers.Clear();
            _history.Clear();
            _coveredFrom = appliedIndex;
            _lastIndex = appliedIndex;
        }
    }

    public IResourceWatcher Subscribe(WatchQuery query)
    {
        lock (_gate)
        {
            Trim();
            var from = query.FromResourceVersion ?? _lastIndex;
            if (from < _coveredFrom)
            {
                throw new ControlPlaneException(ErrorCode.Expired, $"resourceVersion {from} is older than the oldest retained position {_coveredFrom}; re-list and watch from the list's resourceVersion")
                {
                    OldestRetained = _coveredFrom,
                };
            }

            var watcher = new Watcher(this, query, from, _options);
            foreach (var (change, _) in _history)
            {
                if (change.ResourceVersion > from) watcher.Offer(new ChangeMessages(change), backlog: true);
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    internal void Remove(Watcher watcher)
    {
        lock (_gate) _watchers.Remove(watcher);
    }

    internal void EnqueueBookmark(Watcher watcher)
    {
        lock (_gate) watcher.EnqueueBookmark(Math.Max(_lastIndex, watcher.StartResourceVersion));
    }

    private void Trim()
    {
        var now = _time.GetTimestamp();
        while (_history.Count > 0 && (_history.Count > _options.HistoryMaxEvents || _time.GetElapsedTime(_history.Peek().Timestamp, now) > _options.HistoryMaxAge))
        {
            _coveredFrom = _history.Dequeue().Change.ResourceVersion;
        }
    }
}
