using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Watch;

/// <summary>One change as a watcher sees it: the object after (before, for Deleted) and the object before.</summary>
public sealed record WatchEvent(WatchEventType Type, StoredResource Object, StoredResource? Previous);
