using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Watch;
using ControlPlane.Storage.Apply;

namespace ControlPlane.Storage.Watch;

/// <summary>One watch: filters changes and queues messages, within a bound of messages and bytes.</summary>
internal sealed class Watcher : IResourceWatcher
{
    private readonly WatchHub _hub;
    private readonly WatchQuery _query;
    private readonly WatchHubOptions _options;
    private readonly Channel<(WatchMessage Message, long Bytes)> _queue =
        Channel.CreateUnbounded<(WatchMessage, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private long _queuedMessages;
    private long _queuedBytes;

    public Watcher(WatchHub hub, WatchQuery query, long start, WatchHubOptions options)
    {
        _hub = hub;
        _query = query;
        _options = options;
        StartResourceVersion = start;
    }

    public long StartResourceVersion { get; }

    /// <summary>
    /// Queues the change if it concerns this watch and lies strictly after the start position; returns false
    /// when the watcher has ended. A watch started at r on a node that has not yet applied r (resuming on a
    /// lagging follower) must not see the changes up to r that the node applies afterwards: they were already
    /// delivered, and the start position is exclusive.
    /// </summary>
    public bool Offer(ChangeMessages messages, bool backlog = false)
    {
        var change = messages.Change;
        if (change.ResourceVersion <= StartResourceVersion) return true;
        var previous = Matches(change.Previous);
        var current = Matches(change.Current);
        var message = (previous, current) switch
        {
            (false, false) => null,
            (false, true) => messages.Added,
            (true, true) => messages.Modified(_query.OmitPrevious),

            // Deleted, or no longer selected (then the event carries the object as it now is).
            (true, false) => messages.Deleted(_query.OmitPrevious),
        };
        if (message is null) return true;
        var e = message.Events[0];
        var bytes = (long)e.Object.Json.Length + (e.Previous?.Json.Length ?? 0);
        if (!backlog && (Interlocked.Read(ref _queuedMessages) >= _options.WatcherMaxQueuedMessages || Interlocked.Read(ref _queuedBytes) + bytes > _options.WatcherMaxQueuedBytes))
        {
            Fail(new ControlPlaneException(ErrorCode.ResourceExhausted,
                $"the watcher fell behind: more than {_options.WatcherMaxQueuedMessages} messages or {_options.WatcherMaxQueuedBytes} bytes undelivered; watch again from the last resourceVersion received"));
            return false;
        }

        return Enqueue(message, bytes);
    }

    public void EnqueueBookmark(long resourceVersion) => Enqueue(WatchMessage.Bookmark(resourceVersion), 0);

    public void Fail(ControlPlaneException error) => _queue.Writer.TryComplete(error);

    public void RequestBookmark() => _hub.EnqueueBookmark(this);

    public async IAsyncEnumerable<WatchMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (true)
        {
            try
            {
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) yield break;
            }
            catch (ChannelClosedException e) when (e.InnerException is ControlPlaneException inner)
            {
                throw inner;
            }

            while (reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _queuedMessages);
                Interlocked.Add(ref _queuedBytes, -item.Bytes);
                yield return item.Message;
            }
        }
    }

    public void Dispose()
    {
        _hub.Remove(this);
        _queue.Writer.TryComplete();
    }

    private bool Enqueue(WatchMessage message, long bytes)
    {
        Interlocked.Increment(ref _queuedMessages);
        Interlocked.Add(ref _queuedBytes, bytes);
        return _queue.Writer.TryWrite((message, bytes));
    }

    private bool Matches(StoredResource? resource) =>
        resource is not null && _query.InScope(resource.Key) && _query.Selector.Matches(resource.Labels);
}
