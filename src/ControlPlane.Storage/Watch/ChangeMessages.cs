using ControlPlane.Core.Resources;
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
    private WatchMessage? _modifiedAlone;
    private WatchMessage? _deleted;
    private WatchMessage? _deletedAlone;

    public ResourceChange Change { get; } = change;

    /// <summary>The object entered the watch's selection (created, or relabelled into it).</summary>
    public WatchMessage Added => _added ??= One(WatchEventType.Added, Change.Current!, null);

    /// <summary>The object stayed in the watch's selection and changed; without the previous object when the watch omits it.</summary>
    public WatchMessage Modified(bool omitPrevious) => omitPrevious
        ? _modifiedAlone ??= One(WatchEventType.Modified, Change.Current!, null)
        : _modified ??= One(WatchEventType.Modified, Change.Current!, Change.Previous);

    /// <summary>
    /// The object left the watch's selection: deleted (it carries its last version) or relabelled out of it (it
    /// carries the object as it now is); without the previous object when the watch omits it.
    /// </summary>
    public WatchMessage Deleted(bool omitPrevious) => omitPrevious
        ? _deletedAlone ??= One(WatchEventType.Deleted, Change.Current ?? Change.Previous!, null)
        : _deleted ??= One(WatchEventType.Deleted, Change.Current ?? Change.Previous!, Change.Previous);

    private WatchMessage One(WatchEventType type, StoredResource current, StoredResource? previous) =>
        new(Change.ResourceVersion, [new WatchEvent(type, current, previous)], false);
}
