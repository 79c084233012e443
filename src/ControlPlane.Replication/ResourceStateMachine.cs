using System.Buffers;
using ControlPlane.Core.Store;
using ControlPlane.Storage.Apply;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.State;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// Hosts the deterministic <see cref="ResourceApplier"/> inside DotNext's WAL. DotNext calls
/// <see cref="IStateMachine.ApplyAsync"/> for committed entries, one at a time, in index order; each call builds the
/// next immutable <see cref="StoreState"/> and publishes it, so readers never wait for apply. Snapshots are written
/// beside apply from such a state (see <c>ResourceStateMachine.Snapshots.cs</c>), so apply never waits for one.
/// </summary>
public sealed partial class ResourceStateMachine : IStateMachine, IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly long _snapshotThresholdBytes;
    private readonly long _snapshotOffsetBytes;
    private StoreState _state = StoreState.Empty;
    private long _appliedIndex;
    private long _appliedTerm;
    private long _bytesSinceSnapshot;

    /// <param name="location">The folder of this replica's snapshots.</param>
    /// <param name="snapshotThresholdBytes">Command bytes applied between two snapshots.</param>
    /// <param name="logger">Where snapshot and apply failures are logged.</param>
    /// <param name="snapshotPhase">
    /// Where in the threshold this replica takes its snapshots, in [0, 1): counted from an empty store, from a seeded
    /// snapshot or from a snapshot a leader sent, its snapshots come that fraction of the threshold later; from its own
    /// snapshot, it keeps the schedule that snapshot was on. Every member applies the same commands, so with one phase
    /// for all they would write their snapshots at the same index, at the same moment, on a shared machine or disk.
    /// </param>
    public ResourceStateMachine(DirectoryInfo location, long snapshotThresholdBytes, ILogger logger, double snapshotPhase = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(snapshotPhase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(snapshotPhase, 1);
        location.Create();
        _location = location;
        _snapshotThresholdBytes = snapshotThresholdBytes;
        _snapshotOffsetBytes = (long)(snapshotThresholdBytes * snapshotPhase);
        _bytesSinceSnapshot = -_snapshotOffsetBytes;
        _logger = logger;
    }

    /// <summary>How many command bytes after the first initial member this replica takes its snapshots (its phase).</summary>
    public long SnapshotOffsetBytes => _snapshotOffsetBytes;

    /// <summary>The latest applied view. Never blocks.</summary>
    public StoreState State => Volatile.Read(ref _state);

    /// <summary>
    /// The term of the last entry applied here, for reads that must wait for an entry of the current term. DotNext's
    /// engine applies the empty entry a new leader starts its term with without calling the state machine, so this may
    /// lag the log's applied term until the next command; the segmented log passes every entry.
    /// </summary>
    public long AppliedTerm => Volatile.Read(ref _appliedTerm);

    /// <summary>Raised on the apply thread after each applied command that changed an object. Handlers must not block.</summary>
    public event Action<ResourceChange>? Changed;

    /// <summary>
    /// Raised on the apply thread after each applied command that changed nothing (a NoOp, a refused conditional
    /// write, a replayed request id): its index is now applied although no watch event carries it.
    /// </summary>
    public event Action<long>? AppliedWithoutChange;

    /// <summary>Raised after the whole state was replaced from a snapshot (restart or snapshot install).</summary>
    public event Action<StoreState>? Restored;

    /// <summary>Raised when apply failed: the replica can no longer be trusted and the node must stop.</summary>
    public event Action<Exception>? Faulted;

    ValueTask<long> IStateMachine.ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.Index <= _appliedIndex) return ValueTask.FromResult(_appliedIndex);
        if (entry.IsSnapshot) return InstallAsync(entry, entry.Index, entry.Term, token);

        // Membership entries are DotNext's business; during a restart replay they arrive here with their raw payload.
        if (entry.IsConfiguration) return ValueTask.FromResult(SkipCommitted(entry.Index, entry.Term));
        if (!entry.TryGetPayload(out var payload))
        {
            payload = new ReadOnlySequence<byte>(entry.GetPayload().SelectMany(m => m.ToArray()).ToArray());
        }

        return ValueTask.FromResult(ApplyCommitted(entry.Index, entry.Term, payload, entry.Context));
    }

    /// <summary>
    /// Applies the committed command at <paramref name="index"/> (the next one; an index at or below the applied one
    /// is skipped) and completes the writer's <paramref name="context"/>. For a log other than DotNext's WAL, which
    /// hands membership entries to DotNext itself and calls this for the others only.
    /// </summary>
    /// <returns>The applied index.</returns>
    internal long ApplyCommitted(long index, long term, ReadOnlySequence<byte> payload, object? context)
    {
        if (index <= _appliedIndex) return _appliedIndex;
        Apply(index, term, payload, context);
        return MarkApplied(index, term);
    }

    /// <summary>Notes a committed index that carries no command (a membership entry) as applied.</summary>
    /// <returns>The applied index.</returns>
    internal long SkipCommitted(long index, long term) => index <= _appliedIndex ? _appliedIndex : MarkApplied(index, term);

    /// <summary>The applied index (read on the apply path only) and its term (read by linearizable reads on any thread).</summary>
    private long MarkApplied(long index, long term)
    {
        _appliedIndex = index;
        Volatile.Write(ref _appliedTerm, term);
        return index;
    }

    private void Apply(long index, long term, ReadOnlySequence<byte> payload, object? context)
    {
        try
        {
            if (payload.IsEmpty) return;
            var command = CommandCodec.Decode(payload);
            var outcome = ResourceApplier.Apply(_state, index, command);
            Volatile.Write(ref _state, outcome.State);
            if (outcome.Change is { } change) Changed?.Invoke(change);
            else AppliedWithoutChange?.Invoke(index);
            (context as TaskCompletionSource<WriteResult>)?.TrySetResult(outcome.Result);
            _bytesSinceSnapshot += payload.Length;
            if (_bytesSinceSnapshot >= _snapshotThresholdBytes && TryBeginSnapshot(outcome.State, term))
            {
                // What went past the threshold (while the previous snapshot was still being written, or in this
                // command) counts towards the next one, so the replica stays on its schedule.
                _bytesSinceSnapshot %= _snapshotThresholdBytes;
            }
        }
        catch (Exception e)
        {
            // Never skip an entry: a replica that cannot apply one may diverge, so it stops.
            LogApplyFailed(e, index);
            (context as TaskCompletionSource<WriteResult>)?.TrySetException(e);
            Faulted?.Invoke(e);
            throw;
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Critical, Message = "Applying log entry {Index} failed; this replica stops rather than diverge")]
    private partial void LogApplyFailed(Exception exception, long index);
}
