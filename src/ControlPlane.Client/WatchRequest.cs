namespace ControlPlane.Client;

/// <summary>What to watch and from where: the objects of one kind, optionally narrowed by namespace, name and labels.</summary>
/// <param name="ApiVersion">"group/version", or "version" for the core group.</param>
/// <param name="Kind">The kind, e.g. <c>Goal</c>.</param>
public sealed record WatchRequest(string ApiVersion, string Kind)
{
    /// <summary>Only this namespace; null or empty for every namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Only the object of this name; null or empty for every object of the kind.</summary>
    public string? Name { get; init; }

    /// <summary>A Kubernetes label selector (<c>a=b,c!=d,e in (x,y),!f</c>); null for all. An object that starts matching is Added, one that stops is Deleted.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>
    /// Exclusive start: deliver the commits after this resourceVersion (a list's resourceVersion, or the last batch you
    /// processed). Null means from now. "0" means from the beginning of history, which only works while the serving
    /// member still retains every commit: once its history is compacted, "0" is older than what it retains and fails
    /// with <see cref="ExpiredException"/> like any other position that is too old (it is never silently moved to
    /// the oldest retained commit, which would skip changes). On Expired, list the kind and watch from the list's
    /// resourceVersion (<see cref="ResourceInformer"/> does that for you).
    /// </summary>
    public string? FromResourceVersion { get; init; }

    /// <summary>Deliver bookmarks (<see cref="WatchEventBatch.IsBookmark"/>): one when the watch is established, then one whenever it is idle.</summary>
    public bool AllowBookmarks { get; init; }

    /// <summary>How long the watch may be idle before the server sends a bookmark; null means <see cref="ControlPlaneClientOptions.WatchBookmarkInterval"/>.</summary>
    public TimeSpan? BookmarkInterval { get; init; }

    /// <summary>
    /// Events without <see cref="WatchEvent.PreviousObject"/> (null): a modification then carries one object instead of
    /// two, like an etcd watch without prev_kv. For watchers that keep their own copy; <see cref="ResourceInformer"/> sets it.
    /// </summary>
    public bool OmitPreviousObject { get; init; }

    /// <summary>
    /// When the watch has fallen behind, let one <see cref="WatchEventBatch"/> carry the events of several consecutive
    /// commits (its <see cref="WatchEventBatch.ResourceVersion"/> is then the last of them; a commit is never split), as
    /// an etcd watch batches the events waiting for it. The server also paces coalescing watches to a rate of messages
    /// over all of them (<c>ControlPlane:Watch:CoalesceMessagesPerSecond</c>): when many watch a busy kind, a watch that
    /// received events recently gets the next ones in one batch, at most <c>CoalesceIntervalMs</c> (25 ms by default)
    /// later; an event after a quiet spell comes at once. For
    /// watchers that do not need commit boundaries; <see cref="ResourceInformer"/> sets it. A coalesced message holds up
    /// to about 256 KiB of objects plus one commit: keep <see cref="ControlPlaneClientOptions.MaxReceiveMessageBytes"/>
    /// above that (its default, 64 MiB, is).
    /// </summary>
    public bool CoalesceCommits { get; init; }
}
