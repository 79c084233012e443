using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication.Log;

/// <summary>Reads the term of one log entry (of the snapshot, when the entry is compacted into it) from either engine.</summary>
internal sealed class EntryTerm : ILogEntryConsumer<IRaftLogEntry, long>
{
    private static readonly EntryTerm Reader = new();

    private EntryTerm()
    {
    }

    bool ILogEntryConsumer<IRaftLogEntry, long>.LogEntryMetadataOnly => true;

    /// <summary>The term of the entry at <paramref name="index"/>; 0 for index 0, which no entry has.</summary>
    public static ValueTask<long> ReadAsync(IAuditTrail<IRaftLogEntry> log, long index, CancellationToken token) =>
        index <= 0 ? ValueTask.FromResult(0L) : log.ReadAsync(Reader, index, index, token);

    ValueTask<long> ILogEntryConsumer<IRaftLogEntry, long>.ReadAsync<TEntry, TList>(TList entries, long? snapshotIndex, CancellationToken token) =>
        ValueTask.FromResult(entries.Count == 0 ? 0L : entries[0].Term);
}
