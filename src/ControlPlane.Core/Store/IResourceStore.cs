using ControlPlane.Core.Resources;
using ControlPlane.Core.Watch;

namespace ControlPlane.Core.Store;

/// <summary>
/// The replicated resource store as controllers and the API see it. Writes go through consensus and
/// answer once applied; business failures come back as <see cref="WriteResult"/> values, infrastructure
/// failures (no leader, timeouts) as <see cref="Errors.ControlPlaneException"/>.
/// </summary>
public interface IResourceStore
{
    ValueTask<WriteResult> WriteAsync(WriteRequest request, CancellationToken cancellationToken);

    /// <summary>Returns null when absent. Also reports the applied index the read was served at.</summary>
    ValueTask<(StoredResource? Resource, long AppliedIndex)> GetAsync(ResourceKey key, ReadConsistency consistency, CancellationToken cancellationToken);

    ValueTask<ListResult> ListAsync(ListQuery query, ReadConsistency consistency, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a watch; throws Expired when <see cref="WatchQuery.FromResourceVersion"/> is older than the
    /// retained history. List, then watch from the list's resourceVersion, gives a gap-free view.
    /// </summary>
    IResourceWatcher Watch(WatchQuery query);
}
