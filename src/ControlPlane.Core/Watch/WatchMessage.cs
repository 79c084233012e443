namespace ControlPlane.Core.Watch;

/// <summary>
/// What a watcher receives, in commit order: the events of one commit, or a bookmark promising that every
/// event up to <see cref="ResourceVersion"/> has been delivered.
/// </summary>
public sealed record WatchMessage(long ResourceVersion, IReadOnlyList<WatchEvent> Events, bool IsBookmark)
{
    public static WatchMessage Bookmark(long resourceVersion) => new(resourceVersion, [], true);
}
