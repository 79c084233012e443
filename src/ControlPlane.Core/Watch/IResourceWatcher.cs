namespace ControlPlane.Core.Watch;

/// <summary>An open watch. Dispose to stop it.</summary>
public interface IResourceWatcher : IDisposable
{
    /// <summary>The position the watch started after (exclusive).</summary>
    long StartResourceVersion { get; }

    /// <summary>
    /// Messages in commit order. Ends with <see cref="Errors.ControlPlaneException"/> (Expired after a snapshot
    /// install, ResourceExhausted when this watcher fell too far behind) and never skips an event silently.
    /// </summary>
    IAsyncEnumerable<WatchMessage> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Queues a bookmark at the latest published position, after every event already queued.</summary>
    void RequestBookmark();
}
