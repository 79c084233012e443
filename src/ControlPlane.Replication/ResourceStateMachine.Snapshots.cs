using ControlPlane.Storage.Snapshots;
using ControlPlane.Storage.State;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// Snapshots, written beside apply. <see cref="StoreState"/> is immutable, so when the commands applied since the last
/// snapshot pass the threshold, apply hands the state it just built to a writer thread and goes on with the next
/// entry; the snapshot of index i is published (and DotNext may compact the log up to i) only once its file is on
/// disk under its final name <c>{index}-{term}</c>. DotNext's <c>SimpleStateMachine</c>, used before, made the next
/// apply wait for the whole snapshot: writes stalled for the seconds a large state takes to write (2.1 s for
/// 100,000 objects, against 0.3 s with snapshots switched off).
/// </summary>
public sealed partial class ResourceStateMachine
{
    private readonly DirectoryInfo _location;
    private readonly CancellationTokenSource _lifetime = new();
    private SnapshotFile? _snapshot;
    private Task _snapshotWrite = Task.CompletedTask;
    private long _snapshotsWritten;
    private long _snapshotWriteFailures;
    private volatile bool _restored;
    private int _disposed;

    /// <summary>
    /// The latest snapshot on disk, which DotNext sends to members that are behind its compacted log. Throws until
    /// <see cref="RestoreAsync"/> ran: a WAL built before that would replay from index 1 over a compacted log.
    /// </summary>
    public ISnapshot? Snapshot => _restored
        ? Volatile.Read(ref _snapshot)
        : throw new InvalidOperationException("the state machine's snapshot is not loaded yet: call RestoreAsync before the WAL is built");

    /// <summary>
    /// Snapshots this replica wrote itself and published since it started (not installed ones, nor one an install
    /// overtook): a metric, and the tests' proof.
    /// </summary>
    public long SnapshotsWritten => Interlocked.Read(ref _snapshotsWritten);

    /// <summary>Snapshot writes that failed (the log then keeps its entries); a metric.</summary>
    public long SnapshotWriteFailures => Interlocked.Read(ref _snapshotWriteFailures);

    /// <summary>Runs on the writer thread before a snapshot is written; tests hold a snapshot there.</summary>
    internal Action<long>? BeforeSnapshotWrite { get; set; }

    /// <summary>
    /// Loads the newest snapshot in the folder, if any. Call it before the WAL is built: the WAL's constructor reads
    /// <see cref="Snapshot"/> and replays the log above it. A snapshot whose contents are not the state at the index
    /// its name gives is refused: the WAL would replay from the wrong place.
    /// </summary>
    public ValueTask RestoreAsync(CancellationToken cancellationToken = default)
    {
        foreach (var partial in _location.EnumerateFiles("*" + SnapshotFile.PartialSuffix)) partial.Delete();
        var newest = SnapshotFile.FindAll(_location).MaxBy(s => s.Index);
        if (newest is not null)
        {
            StoreState restored;
            using (var file = newest.OpenRead())
            {
                restored = SnapshotCodec.Read(file);
            }

            if (restored.AppliedIndex != newest.Index)
            {
                throw new InvalidDataException($"snapshot {newest.Name} holds the state at index {restored.AppliedIndex}, not {newest.Index}");
            }

            // A snapshot of our own is on this replica's schedule already. A seeded one (term 0, written by
            // `cpctl snapshot restore`) is the same file on every member: count the phase from it.
            Publish(newest);
            ReplaceState(restored, newest.Index, newest.Term, newest.Term == 0 ? -_snapshotOffsetBytes : 0);
        }

        _restored = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for a snapshot being written; any later apply may start another.</summary>
    public Task WaitForSnapshotWriteAsync() => Volatile.Read(ref _snapshotWrite);

    ValueTask ISnapshotManager.ReclaimGarbageAsync(long watermark, CancellationToken token)
    {
        foreach (var old in SnapshotFile.FindAll(_location).ToList())
        {
            if (old.Index >= watermark) continue;
            try
            {
                old.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An old file left behind costs disk space, not correctness; the next reclaim tries again.
                LogReclaimFailed(e, old.Name);
            }
        }

        return ValueTask.CompletedTask;
    }

    ISnapshot? ISnapshotManager.Snapshot => Snapshot;

    /// <summary>Starts writing <paramref name="state"/> unless a snapshot is still being written (the next entry tries again).</summary>
    private bool TryBeginSnapshot(StoreState state, long term)
    {
        if (!_snapshotWrite.IsCompleted || _lifetime.IsCancellationRequested) return false;
        LogSnapshot(state.AppliedIndex, state.ObjectCount);
        Volatile.Write(ref _snapshotWrite, Task.Factory.StartNew(
            () => WriteSnapshot(state, term), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return true;
    }

    private void WriteSnapshot(StoreState state, long term)
    {
        var target = SnapshotFile.PathFor(_location, state.AppliedIndex, term);
        try
        {
            BeforeSnapshotWrite?.Invoke(state.AppliedIndex);
            var started = Environment.TickCount64;
            var bytes = 0L;
            DurableFile.Write(target, target + SnapshotFile.PartialSuffix, file =>
            {
                SnapshotCodec.Write(state, file, _lifetime.Token);
                bytes = file.Length;
            });

            var written = new SnapshotFile(new FileInfo(target), state.AppliedIndex, term);
            if (!Publish(written))
            {
                // An installed snapshot overtook this one while it was written: it is older, so it goes.
                written.Delete();
                LogSnapshotOvertaken(state.AppliedIndex);
                return;
            }

            Interlocked.Increment(ref _snapshotsWritten);
            LogSnapshotWritten(state.AppliedIndex, bytes, Environment.TickCount64 - started);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Shutting down: the log keeps the entries, and the next start replays them.
            LogSnapshotAbandoned(state.AppliedIndex);
        }
        catch (Exception e)
        {
            // The log keeps every entry above the previous snapshot, so nothing is lost; the next threshold tries again.
            Interlocked.Increment(ref _snapshotWriteFailures);
            LogSnapshotFailed(e, state.AppliedIndex);
        }
    }

    /// <summary>
    /// Installs a snapshot a leader sent: the bytes are checked (checksum, state hash, index) before they replace the
    /// snapshot file or the state, so a broken transfer changes nothing and the leader sends it again. A snapshot of
    /// this replica's own still being written is older (an install is always above the applied index); it may finish
    /// afterwards, but <see cref="Publish"/> never lets it replace the installed one.
    /// </summary>
    internal async ValueTask<long> InstallAsync(IDataTransferObject entry, long index, long term, CancellationToken token)
    {
        var target = SnapshotFile.PathFor(_location, index, term);
        StoreState? installed = null;
        await DurableFile.WriteAsync(target, target + SnapshotFile.PartialSuffix, async file =>
        {
            await entry.WriteToAsync(IAsyncBinaryWriter.Create(file, new byte[1 << 16]), token).ConfigureAwait(false);
            file.Position = 0;
            installed = SnapshotCodec.Read(file);
            if (installed.AppliedIndex != index)
            {
                throw new InvalidDataException($"the snapshot sent for index {index} holds the state at index {installed.AppliedIndex}");
            }
        }).ConfigureAwait(false);

        // The leader's snapshot is on the leader's schedule: count this replica's phase from it (exactly so when the
        // leader's phase is 0; otherwise the two stay apart by the difference of their phases).
        Publish(new SnapshotFile(new FileInfo(target), index, term));
        ReplaceState(installed!, index, term, -_snapshotOffsetBytes);
        return index;
    }

    private void ReplaceState(StoreState restored, long index, long term, long bytesSinceSnapshot)
    {
        Volatile.Write(ref _state, restored);
        MarkApplied(index, term);
        _bytesSinceSnapshot = bytesSinceSnapshot;
        LogRestored(restored.AppliedIndex, restored.ObjectCount);
        Restored?.Invoke(restored);
    }

    /// <summary>Makes a newer snapshot the one DotNext sees and returns true; an older one never replaces a newer one.</summary>
    private bool Publish(SnapshotFile snapshot)
    {
        for (var current = Volatile.Read(ref _snapshot); current is null || current.Index < snapshot.Index;)
        {
            var seen = Interlocked.CompareExchange(ref _snapshot, snapshot, current);
            if (ReferenceEquals(seen, current)) return true;
            current = seen;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await WaitForSnapshotWriteAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _lifetime.Dispose();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Taking a snapshot at index {Index} ({Objects} objects) beside apply")]
    private partial void LogSnapshot(long index, long objects);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Restored state from snapshot at index {Index} ({Objects} objects)")]
    private partial void LogRestored(long index, long objects);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Snapshot at index {Index} is on disk ({Bytes} bytes, {Milliseconds} ms)")]
    private partial void LogSnapshotWritten(long index, long bytes, long milliseconds);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Writing the snapshot at index {Index} failed; the log keeps its entries and the next threshold tries again")]
    private partial void LogSnapshotFailed(Exception exception, long index);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Snapshot at index {Index} abandoned: the node is stopping; the log keeps its entries")]
    private partial void LogSnapshotAbandoned(long index);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Snapshot at index {Index} was written after a newer one had been installed; deleted")]
    private partial void LogSnapshotOvertaken(long index);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Could not delete the old snapshot {Name}; the next reclaim tries again")]
    private partial void LogReclaimFailed(Exception exception, string name);
}
