namespace ControlPlane.Bench.Targets;

/// <summary>
/// The few operations the scenarios need, implemented once per system. <c>client</c> is the number of the
/// simulated client (0..concurrency-1): implementations spread clients over the endpoints round-robin, the
/// way etcd's clientv3 balancer and a Kubernetes API server pool spread requests.
/// Versions are ControlPlane resourceVersions or etcd mod revisions.
/// </summary>
public interface IBenchTarget : IAsyncDisposable
{
    /// <summary>Create or replace, unconditionally. Returns the version of the write.</summary>
    Task<long> PutAsync(int client, string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Replace only if the stored version is <paramref name="expectedVersion"/>; a mismatch is a conflict, not an error.</summary>
    Task<UpdateResult> UpdateAsync(int client, string name, ReadOnlyMemory<byte> json, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Reads one object; <see cref="ReadResult.Found"/> is false when it does not exist.</summary>
    Task<ReadResult> GetAsync(int client, string name, bool linearizable, CancellationToken cancellationToken);

    /// <summary>Reads the first page of the whole kind.</summary>
    Task<ListPage> ListAsync(int client, int limit, bool linearizable, CancellationToken cancellationToken);

    /// <summary>
    /// Watches the kind from after <paramref name="afterVersion"/> (0: from now). Yields one
    /// <see cref="WatchDelivery.Established"/> marker once the server confirmed the watch, then one delivery
    /// per event. Ends when the server ends the stream; throws on a stream error.
    /// </summary>
    IAsyncEnumerable<WatchDelivery> WatchAsync(int client, long afterVersion, CancellationToken cancellationToken);
}
