using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication.Log;

/// <summary>What the node, its metrics and its reads need of the Raft log, whichever engine keeps it.</summary>
public interface IReplicatedLog : IPersistentState, IAsyncDisposable
{
    /// <summary>The index of the last entry the state machine applied.</summary>
    long LastAppliedIndex { get; }

    /// <summary>Entries this node had on disk before it acknowledged them as a follower (a metric, and the tests' proof).</summary>
    long FollowerSyncedEntries { get; }

    /// <summary>
    /// Raised once when the log can no longer be trusted (a write to disk or an apply failed): the node must stop, as
    /// etcd stops when its WAL cannot be written. DotNext's WAL reports its failures only to its callers.
    /// </summary>
    event Action<Exception>? Faulted;

    /// <summary>Returns once every entry appended so far is on disk.</summary>
    Task FlushAsync(CancellationToken token = default);
}
