using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Core.Watch;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// Keeps one controller's view of one watched kind for one leadership term: a linearizable list, then a watch
/// from the list's resourceVersion (gap-free), re-listing when the watch expires or falls behind. Every change
/// is mapped to keys and queued. The view (the objects last seen) feeds the periodic resync.
/// </summary>
internal sealed class Informer(
    string controller, WatchSource source, IResourceStore store, WorkQueue queue, ControllerHostOptions options, TimeProvider time, ILogger logger)
{
    private readonly object _gate = new();
    private Dictionary<ResourceKey, StoredResource> _known = [];
    private long _resourceVersion;

    public WatchSource Source => source;

    /// <summary>The position this view is complete up to: the list's resourceVersion, then each watch message's.</summary>
    public long ResourceVersion => Interlocked.Read(ref _resourceVersion);

    public int Count
    {
        get
        {
            lock (_gate) return _known.Count;
        }
    }

    /// <summary>
    /// Lists the kind (linearizable), replaces the view and queues the keys of every listed object and of every
    /// object that vanished since the last list. Retries with backoff while the store is unavailable.
    /// </summary>
    public async Task ListAsync(CancellationToken cancellationToken)
    {
        var delay = options.ListRetryBaseDelay;
        while (true)
        {
            ListResult list;
            try
            {
                var query = new ListQuery { Kind = source.Kind, Namespace = source.Namespace, Selector = source.Selector };
                list = await store.ListAsync(query, ReadConsistency.Linearizable, cancellationToken).ConfigureAwait(false);
            }
            catch (ControlPlaneException e) when (!cancellationToken.IsCancellationRequested && e.Code is ErrorCode.Unavailable or ErrorCode.DeadlineExceeded)
            {
                ControllerLog.ListFailed(logger, controller, source.ToString(), e.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = delay * 2 < options.ListRetryMaxDelay ? delay * 2 : options.ListRetryMaxDelay;
                continue;
            }

            Replace(list);
            return;
        }
    }

    /// <summary>Watches from the view's position until cancelled, re-listing whenever the watch cannot continue.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var reason = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
            ControllerLog.Relisting(logger, controller, source.ToString(), reason);
            if (reason == EndedReason)
            {
                // Not a failure the store announced: pause, so a watch that keeps ending cannot spin.
                await Task.Delay(options.ListRetryBaseDelay, time, cancellationToken).ConfigureAwait(false);
            }

            await ListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues the keys of every object in the view, as if each had just been listed.</summary>
    public void Resync()
    {
        List<StoredResource> known;
        lock (_gate) known = [.. _known.Values];
        foreach (var item in known) Enqueue(null, item);
    }

    private const string EndedReason = "the stream ended";

    /// <summary>Runs one watch to its end and says why it ended.</summary>
    private async Task<string> WatchOnceAsync(CancellationToken cancellationToken)
    {
        IResourceWatcher watcher;
        try
        {
            watcher = store.Watch(new WatchQuery
            {
                Kind = source.Kind,
                Namespace = source.Namespace,
                Selector = source.Selector,
                FromResourceVersion = ResourceVersion,
            });
        }
        catch (ControlPlaneException e) when (e.Code is ErrorCode.Expired)
        {
            return e.Message;
        }

        using (watcher)
        {
            try
            {
                await foreach (var message in watcher.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    Apply(message);
                }
            }
            catch (ControlPlaneException e) when (!cancellationToken.IsCancellationRequested && e.Code is ErrorCode.Expired or ErrorCode.ResourceExhausted)
            {
                return e.Message;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return EndedReason;
    }

    private void Replace(ListResult list)
    {
        var next = new Dictionary<ResourceKey, StoredResource>(list.Items.Count);
        foreach (var item in list.Items) next[item.Key] = item;
        Dictionary<ResourceKey, StoredResource> previous;
        lock (_gate)
        {
            previous = _known;
            _known = next;
        }

        Interlocked.Exchange(ref _resourceVersion, list.ResourceVersion);
        source.Listed?.Invoke(list.Items);
        foreach (var item in list.Items)
        {
            // Unchanged objects map as listed (before = null), so a relist re-queues everything, as a resync does.
            Enqueue(previous.TryGetValue(item.Key, out var old) && old.ResourceVersion != item.ResourceVersion ? old : null, item);
        }

        foreach (var (key, old) in previous)
        {
            if (!next.ContainsKey(key)) Enqueue(old, null);
        }
    }

    private void Apply(WatchMessage message)
    {
        foreach (var change in message.Events)
        {
            StoredResource? before;
            StoredResource? after;
            lock (_gate)
            {
                _known.TryGetValue(change.Object.Key, out var known);
                if (change.Type == WatchEventType.Deleted)
                {
                    _known.Remove(change.Object.Key);
                    (before, after) = (change.Object, null);
                }
                else
                {
                    _known[change.Object.Key] = change.Object;
                    (before, after) = (change.Previous ?? known, change.Object);
                }
            }

            Enqueue(before, after);
        }

        Interlocked.Exchange(ref _resourceVersion, message.ResourceVersion);
    }

    private void Enqueue(StoredResource? before, StoredResource? after)
    {
        var keys = source.Map(before, after)
            ?? throw new InvalidOperationException($"controller {controller}: the change mapper of {source} returned null");
        foreach (var key in keys) queue.Add(key);
    }
}
