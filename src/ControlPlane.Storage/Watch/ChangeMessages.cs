using ControlPlane.Core.Watch;
using ControlPlane.Storage.Apply;

namespace ControlPlane.Storage.Watch;

/// <summary>
/// The watch messages one change can produce (Added, Modified or Deleted), each made once and shared by every watcher
/// that receives it, so that fanning a change out to N watchers allocates one message per shape, not N, and the layer
/// that encodes messages can encode each shared instance once. Used on the apply thread under the hub's lock.
/// </summary>
internal sealed class ChangeMessages(ResourceChange change)
{
    private WatchMessage? _added;
    private WatchMessage? _modified;
    private WatchMessage? _deleted;
    private WatchMessage? _leftSelector;

    public ResourceChange Change { get; } = change;

    /// <summary>The object entered the watch's selection (created, or relabelled into it).</summary>
    public WatchMessage Added => _added ??= One(new WatchEvent(WatchEventType.Added, Change.Current!, null));

    /// <summary>The object stayed in the watch's selection and changed.</summary>
    public WatchMessage Modified => _modified ??= One(new WatchEvent(WatchEventType.Modified, Change.Current!, Change.Previous));

    /// <summary>The object left the watch's selection: deleted (it carries its last version) or relabelled out of it (it carries the object as it now is).</summary>
    public WatchMessage Deleted => Change.Current is null
        ? _deleted ??= One(new WatchEvent(WatchEventType.Deleted, Change.Previous!, Change.Previous))
        : _leftSelector ??= One(new WatchEvent(WatchEventType.Deleted, Change.Current, Change.Previous));

    private WatchMessage One(WatchEvent e) => new(Change.ResourceVersion, [e], false);
}
