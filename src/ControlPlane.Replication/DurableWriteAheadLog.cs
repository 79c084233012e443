using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace ControlPlane.Replication;

/// <summary>
/// DotNext's write-ahead log, except that the entries a follower receives are on its disk before it acknowledges them.
/// </summary>
/// <remarks>
/// DotNext answers an AppendEntries after <c>AppendAsync</c> and <c>CommitAsync(leader's commit index)</c>. The
/// commit waits for the flush of the entries up to that index, but the entries just appended are flushed in the
/// background, and a restart recovers the log only up to the last index the flusher wrote into the checkpoint file.
/// So a follower killed in that window forgot entries it had acknowledged, and the leader had counted that answer
/// towards the majority on which it acknowledged the write to its client. etcd's followers sync before they answer;
/// so do ours now. The follower appends through the producer overload of <see cref="IAuditTrail{TEntry}"/> and
/// then commits, both through interfaces this class re-implements: the append notes that it wrote entries, and the
/// commit that follows waits for one flush of everything appended, which also records the new commit index (one
/// checkpoint write per round instead of two). The leader appends single entries and its commit already waits
/// for its flush, so its path is unchanged.
/// </remarks>
public sealed class DurableWriteAheadLog(WriteAheadLog.Options options, IStateMachine stateMachine)
    : WriteAheadLog(options, stateMachine), IAuditTrail<IRaftLogEntry>
{
    private long _appendedUnflushed = NoAppend;
    private long _syncedEntries;

    private const long NoAppend = -1;

    /// <summary>Entries this node flushed before it acknowledged them as a follower (a metric, and the tests' proof).</summary>
    public long FollowerSyncedEntries => Volatile.Read(ref _syncedEntries);

    async ValueTask IAuditTrail<IRaftLogEntry>.AppendAsync<TEntry>(ILogEntryProducer<TEntry> entries, long startIndex, bool skipCommitted, CancellationToken token)
    {
        var count = entries.RemainingCount;
        await AppendAsync(entries, startIndex, skipCommitted, token).ConfigureAwait(false);
        Volatile.Write(ref _appendedUnflushed, count);
    }

    async ValueTask<long> IAuditTrail.CommitAsync(long endIndex, CancellationToken token)
    {
        var committed = await CommitAsync(endIndex, token).ConfigureAwait(false);
        var appended = Interlocked.Exchange(ref _appendedUnflushed, NoAppend);
        if (appended != NoAppend)
        {
            // Also after a heartbeat (nothing appended): the flush then returns at once, or records the commit index.
            await FlushAsync(token).ConfigureAwait(false);
            Interlocked.Add(ref _syncedEntries, appended);
        }

        return committed;
    }
}
