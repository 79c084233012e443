using ControlPlane.Core.Resources;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// Maps a change of a watched object to the keys a controller must reconcile. <paramref name="before"/> is
/// null when the object was added, listed or resynced; <paramref name="after"/> is null when it was deleted
/// (or left the watch's selector). For a modification both are set, so a mapper can enqueue what the object
/// pointed at before and after (a Plan moved from one Goal to another enqueues both Goals).
/// </summary>
public delegate IEnumerable<ResourceKey> ChangeMapper(StoredResource? before, StoredResource? after);
