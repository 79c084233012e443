using System.Buffers;
using ControlPlane.Core.Store;
using ControlPlane.Storage.Apply;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.Snapshots;
using ControlPlane.Storage.State;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// Hosts the deterministic <see cref="ResourceApplier"/> inside DotNext's WAL. DotNext calls
/// <see cref="ApplyAsync"/> for committed entries, one at a time, in index order; each call builds the next
/// immutable <see cref="StoreState"/> and publishes it, so readers never wait for apply.
/// </summary>
public sealed partial class ResourceStateMachine : SimpleStateMachine
{
    private readonly ILogger _logger;
    private readonly long _snapshotThresholdBytes;
    private StoreState _state = StoreState.Empty;
    private long _bytesSinceSnapshot;

    public ResourceStateMachine(DirectoryInfo location, long snapshotThresholdBytes, ILogger logger)
        : base(location)
    {
        _snapshotThresholdBytes = snapshotThresholdBytes;
        _logger = logger;
    }

    /// <summary>The latest applied view. Never blocks.</summary>
    public StoreState State => Volatile.Read(ref _state);

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

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        // Membership entries are DotNext's business; during a restart replay they arrive here with their raw payload.
        if (entry.IsConfiguration) return ValueTask.FromResult(false);
        try
        {
            if (!entry.TryGetPayload(out var payload))
            {
                payload = new ReadOnlySequence<byte>(entry.GetPayload().SelectMany(m => m.ToArray()).ToArray());
            }

            if (payload.IsEmpty) return ValueTask.FromResult(false);
            var command = CommandCodec.Decode(payload);
            var outcome = ResourceApplier.Apply(_state, entry.Index, command);
            Volatile.Write(ref _state, outcome.State);
            if (outcome.Change is { } change) Changed?.Invoke(change);
            else AppliedWithoutChange?.Invoke(entry.Index);
            (entry.Context as TaskCompletionSource<WriteResult>)?.TrySetResult(outcome.Result);
            _bytesSinceSnapshot += payload.Length;
            if (_bytesSinceSnapshot < _snapshotThresholdBytes) return ValueTask.FromResult(false);
            _bytesSinceSnapshot = 0;
            LogSnapshot(entry.Index, outcome.State.ObjectCount);
            return ValueTask.FromResult(true);
        }
        catch (Exception e)
        {
            // Never skip an entry: a replica that cannot apply one may diverge, so it stops.
            LogApplyFailed(e, entry.Index);
            (entry.Context as TaskCompletionSource<WriteResult>)?.TrySetException(e);
            Faulted?.Invoke(e);
            throw;
        }
    }

    protected override async ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        var state = State;
        var temp = Path.Combine(Path.GetTempPath(), $"cp-snapshot-{Environment.ProcessId}-{state.AppliedIndex}.tmp");
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
        {
            SnapshotCodec.Write(state, file);
            file.Position = 0;
            await writer.CopyFromAsync(file, count: null, token).ConfigureAwait(false);
        }
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        StoreState restored;
        await using (var file = new FileStream(snapshotFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            restored = SnapshotCodec.Read(file);
        }

        Volatile.Write(ref _state, restored);
        _bytesSinceSnapshot = 0;
        LogRestored(restored.AppliedIndex, restored.ObjectCount);
        Restored?.Invoke(restored);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Taking a snapshot at index {Index} ({Objects} objects)")]
    private partial void LogSnapshot(long index, long objects);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Restored state from snapshot at index {Index} ({Objects} objects)")]
    private partial void LogRestored(long index, long objects);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Critical, Message = "Applying log entry {Index} failed; this replica stops rather than diverge")]
    private partial void LogApplyFailed(Exception exception, long index);
}
