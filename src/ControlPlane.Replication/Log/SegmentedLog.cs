using System.Buffers;
using DotNext.IO;
using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using DotNext.Threading;

namespace ControlPlane.Replication.Log;

/// <summary>
/// A Raft log of our own: every change is a record appended to a segment file with one synced write
/// (<see cref="LogSegments"/>), where DotNext's WAL syncs its metadata page, then its data pages, then its checkpoint
/// file one after another. Entries above the latest snapshot stay in memory (the snapshot threshold bounds them), but
/// the payloads of applied entries only up to a budget: older ones are read back from their record when a member that
/// far behind needs them. Recovery reads the records back in the order they were written.
/// </summary>
/// <remarks>
/// <para>
/// DotNext's <see cref="RaftCluster"/> reaches its log only through <see cref="IPersistentState"/>, whose
/// <c>ConfigurationStorage</c> setter is internal, so this class derives from <see cref="WriteAheadLog"/> and
/// re-implements every member that touches entries. What it inherits is the durable term and vote and the membership
/// storage slot; the base class's own (empty) log lives in a folder of its own and is never appended to.
/// </para>
/// <para>
/// What it promises, as DotNext's WAL with <see cref="DurableWriteAheadLog"/> does: a follower's append returns once
/// the entries are on disk, so it acknowledges nothing it could forget; a commit waits until the committed entries are
/// on disk (on the leader, its own); committed entries are applied in order by one applier, membership entries through
/// DotNext's configuration storage and commands through <see cref="ResourceStateMachine.ApplyCommitted"/>. Each record
/// carries the commit index known when it was written and a clean stop writes the last one, so a restart after a crash
/// applies at most one round less than the node had (Raft keeps the commit index volatile; the leader sends it again).
/// Entries that conflict with the leader's (same index, other term) are replaced; an entry with the same index and
/// term is kept, as Raft says. A snapshot a leader sends is installed, then recorded (a reset record) before the
/// install is acknowledged.
/// </para>
/// </remarks>
public sealed class SegmentedLog : WriteAheadLog, IReplicatedLog, IPersistentState, IAuditTrail<IRaftLogEntry>, IAuditTrail
{
    /// <summary>The folder of the records, beside the base class's folder for the term and vote.</summary>
    public const string RecordsFolder = "log";

    private readonly ResourceStateMachine _machine;
    private readonly LogSegments _segments;
    private readonly System.Threading.Lock _gate = new();
    private readonly List<LogSlot> _entries = [];
    private readonly PayloadArena _payloads = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly AsyncAutoResetEvent _flushSignal = new(false);
    private readonly AsyncAutoResetEvent _applySignal = new(false);
    private readonly SemaphoreSlim _applyGate = new(1, 1);
    private readonly PriorityQueue<TaskCompletionSource, long> _applyWaiters = new();
    private readonly long _recoveredCommit;
    private readonly long _residentBudget;
    private ArrayBufferWriter<byte> _pending = new(1 << 16);
    private ArrayBufferWriter<byte> _writing = new(1 << 16);

    /// <summary>The entries' records in <c>_pending</c> (and, swapped, in <c>_writing</c>): index, sequence, offset.</summary>
    private List<(long Index, long Sequence, int Offset)> _pendingRecords = [];
    private List<(long Index, long Sequence, int Offset)> _writingRecords = [];
    private long _pendingMaxIndex;
    private long _pendingSequence;
    private bool _rotateBeforeNext;
    private long _compactRequest;
    private long _sequence;
    private long _durableSequence;
    private TaskCompletionSource _durableChanged = NewSignal();

    /// <summary>The index of the first entry in memory: the ones before it are in the snapshot (compacted).</summary>
    private long _first;
    private long _last;
    private long _commit;
    private long _applied;
    private long _syncedEntries;

    /// <summary>
    /// Applied entries from here to the applied index may still have their payload in memory; those from the first
    /// entry up to here have had theirs dropped (eviction goes in index order).
    /// </summary>
    private long _residentFrom;

    /// <summary>Payload bytes of the applied entries still in memory.</summary>
    private long _residentBytes;
    private long _flushes;
    private long _flushedBytes;
    private Exception? _failure;
    private Task _flusher = Task.CompletedTask;
    private Task _applier = Task.CompletedTask;
    private int _stopped;

    /// <param name="root">The node's data folder: the records go to <c>log/</c>, the term and vote to <c>raft-state/</c>.</param>
    /// <param name="machine">The state machine, restored from its snapshot already.</param>
    /// <param name="segmentBytes">Start a new segment file past this size.</param>
    /// <param name="residentBytes">
    /// Payload bytes of applied entries kept in memory, for members a little behind; older payloads are dropped and
    /// read back from their segment when a member further behind needs them.
    /// </param>
    public SegmentedLog(DirectoryInfo root, ResourceStateMachine machine, long segmentBytes = 64L << 20, long residentBytes = 4L << 20)
        : base(new Options { Location = Path.Combine(root.FullName, "raft-state") }, machine)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(residentBytes);
        _residentBudget = residentBytes;
        _machine = machine;
        _segments = new LogSegments(new DirectoryInfo(Path.Combine(root.FullName, RecordsFolder)), segmentBytes);
        var snapshotIndex = machine.Snapshot?.Index ?? 0;
        _applied = snapshotIndex;
        _recoveredCommit = Recover(snapshotIndex);
        _durableSequence = _sequence;
        _flusher = Task.Run(() => RunLoopAsync(_flushSignal, FlushOnceAsync));
        _applier = Task.Run(() => RunLoopAsync(_applySignal, ApplyCommittedAsync));
    }

    /// <inheritdoc/>
    public event Action<Exception>? Faulted;

    /// <summary>Segment files on disk (a metric, and the tests' view of compaction).</summary>
    public int SegmentCount => _segments.Count;

    /// <summary>Synced writes so far: one per flush, each carrying every record queued (a metric).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Bytes of records written so far (a metric).</summary>
    public long FlushedBytes => Interlocked.Read(ref _flushedBytes);

    /// <summary>Payload bytes of applied entries still held in memory (a metric; at most the budget and one entry).</summary>
    public long ResidentAppliedBytes => Interlocked.Read(ref _residentBytes);

    long IAuditTrail.LastEntryIndex => Volatile.Read(ref _last);

    long IAuditTrail.LastCommittedEntryIndex => Volatile.Read(ref _commit);

    long IReplicatedLog.LastAppliedIndex => Volatile.Read(ref _applied);

    long IReplicatedLog.FollowerSyncedEntries => Interlocked.Read(ref _syncedEntries);

    bool IAuditTrail.IsLogEntryLengthAlwaysPresented => true;

    /// <summary>Applies what the records say was committed before the restart.</summary>
    public override async Task InitializeAsync(CancellationToken token = default)
    {
        _applySignal.Set();
        await ((IAuditTrail)this).WaitForApplyAsync(_recoveredCommit, token).ConfigureAwait(false);
    }

    async ValueTask<long> IAuditTrail<IRaftLogEntry>.AppendAsync<TEntry>(TEntry entry, CancellationToken token)
    {
        if (entry.IsSnapshot) throw new InvalidOperationException("a snapshot is installed at an index, not appended at the end of the log");
        var payload = await StorePayloadAsync(entry, token).ConfigureAwait(false);
        long index;
        lock (_gate)
        {
            ThrowIfFailed();
            index = _last + 1;
            Add(index, entry.Term, KindOf(entry), payload, entry is IInputLogEntry input ? input.Context : null);
        }

        _flushSignal.Set();
        return index;
    }

    async ValueTask IAuditTrail<IRaftLogEntry>.AppendAsync<TEntry>(TEntry entry, long startIndex, CancellationToken token)
    {
        if (entry.IsSnapshot)
        {
            await InstallAsync(entry, startIndex, token).ConfigureAwait(false);
            return;
        }

        await AppendReceivedAsync([(entry.Term, KindOf(entry), await StorePayloadAsync(entry, token).ConfigureAwait(false))], startIndex, skipCommitted: false, token).ConfigureAwait(false);
    }

    async ValueTask IAuditTrail<IRaftLogEntry>.AppendAsync<TEntry>(ILogEntryProducer<TEntry> entries, long startIndex, bool skipCommitted, CancellationToken token)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        var received = new List<(long, LogRecordKind, ReadOnlyMemory<byte>)>((int)long.Min(entries.RemainingCount, 1024));
        while (await entries.MoveNextAsync().ConfigureAwait(false))
        {
            var entry = entries.Current;
            if (entry.IsSnapshot) throw new InvalidOperationException("a snapshot arrived among log entries");
            received.Add((entry.Term, KindOf(entry), await StorePayloadAsync(entry, token).ConfigureAwait(false)));
        }

        await AppendReceivedAsync(received, startIndex, skipCommitted, token).ConfigureAwait(false);
    }

    async ValueTask<long> IAuditTrail.CommitAsync(long endIndex, CancellationToken token)
    {
        while (true)
        {
            long sequence;
            lock (_gate)
            {
                ThrowIfFailed();
                ArgumentOutOfRangeException.ThrowIfGreaterThan(endIndex, _last);
                if (endIndex <= _commit) return 0;
                sequence = EntryAt(endIndex).Sequence;
            }

            await WaitDurableAsync(sequence, token).ConfigureAwait(false);
            long committed;
            lock (_gate)
            {
                if (endIndex <= _commit) return 0;

                // Replaced while its record was written (a new leader's entries): wait for the replacement instead.
                if (endIndex > _last || EntryAt(endIndex).Sequence != sequence) continue;
                committed = endIndex - _commit;
                Volatile.Write(ref _commit, endIndex);
            }

            _applySignal.Set();
            return committed;
        }
    }

    ValueTask<TResult> IAuditTrail<IRaftLogEntry>.ReadAsync<TResult>(ILogEntryConsumer<IRaftLogEntry, TResult> reader, long startIndex, long endIndex, CancellationToken token)
    {
        var entries = Read(startIndex, endIndex, out var snapshotIndex);
        return reader.ReadAsync<IRaftLogEntry, List<IRaftLogEntry>>(entries, snapshotIndex, token);
    }

    ValueTask<TResult> IAuditTrail.ReadAsync<TResult>(ILogEntryConsumer<ILogEntry, TResult> reader, long startIndex, long endIndex, CancellationToken token)
    {
        var entries = Read(startIndex, endIndex, out var snapshotIndex);
        return reader.ReadAsync<IRaftLogEntry, List<IRaftLogEntry>>(entries, snapshotIndex, token);
    }

    /// <summary>
    /// Each writer waits for its own index (DotNext's leader waits here for every write it replicates): one shared
    /// signal would wake all of them after every applied batch, and most would only wait again.
    /// </summary>
    ValueTask IAuditTrail.WaitForApplyAsync(long index, CancellationToken token)
    {
        if (Volatile.Read(ref _applied) >= index) return ValueTask.CompletedTask;
        TaskCompletionSource waiter;
        lock (_applyWaiters)
        {
            ThrowIfFailed();
            if (Volatile.Read(ref _applied) >= index) return ValueTask.CompletedTask;
            waiter = NewSignal();
            _applyWaiters.Enqueue(waiter, index);
        }

        return new ValueTask(waiter.Task.WaitAsync(token));
    }

    /// <summary>Waits for the next apply: the index after the applied one.</summary>
    ValueTask IAuditTrail.WaitForApplyAsync(CancellationToken token) =>
        ((IAuditTrail)this).WaitForApplyAsync(Volatile.Read(ref _applied) + 1, token);

    async Task IReplicatedLog.FlushAsync(CancellationToken token)
    {
        long sequence;
        lock (_gate) sequence = _sequence;
        await WaitDurableAsync(sequence, token).ConfigureAwait(false);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await StopAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) StopAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static LogRecordKind KindOf<TEntry>(TEntry entry)
        where TEntry : IRaftLogEntry => entry.IsConfiguration ? LogRecordKind.Configuration : LogRecordKind.Command;

    private async ValueTask<ReadOnlyMemory<byte>> StorePayloadAsync<TEntry>(TEntry entry, CancellationToken token)
        where TEntry : IRaftLogEntry
    {
        // A copy either way: the caller's buffer may be a network buffer reused for the next entry.
        if (entry.TryGetMemory(out var memory)) return _payloads.Store(memory.Span);
        return _payloads.Store(await entry.ToByteArrayAsync(token: token).ConfigureAwait(false));
    }

    /// <summary>The entry at <paramref name="index"/>, in place. Holds <c>_gate</c>; valid until the list changes.</summary>
    private ref LogSlot EntryAt(long index) => ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries)[(int)(index - _first)];

    /// <summary>Adds the entry at <paramref name="index"/> (one past the last) and queues its record. Holds <c>_gate</c>.</summary>
    private long Add(long index, long term, LogRecordKind kind, ReadOnlyMemory<byte> payload, object? context)
    {
        var sequence = ++_sequence;
        _entries.Add(new LogSlot { Term = term, IsConfiguration = kind == LogRecordKind.Configuration, Payload = payload, Context = context, Sequence = sequence });
        Volatile.Write(ref _last, index);
        Queue(index, term, kind, payload.Span, sequence);
        return sequence;
    }

    private void Queue(long index, long term, LogRecordKind kind, ReadOnlySpan<byte> payload, long sequence)
    {
        if (kind is LogRecordKind.Command or LogRecordKind.Configuration) _pendingRecords.Add((index, sequence, _pending.WrittenCount));
        LogRecord.Write(_pending, index, term, _commit, kind, payload);
        _pendingMaxIndex = long.Max(_pendingMaxIndex, index);
        _pendingSequence = sequence;
    }

    /// <summary>Drops the entries from <paramref name="index"/> on. Holds <c>_gate</c>.</summary>
    private void TruncateFrom(long index)
    {
        _entries.RemoveRange((int)(index - _first), (int)(_last - index + 1));
        Volatile.Write(ref _last, index - 1);
    }

    private async ValueTask AppendReceivedAsync(IReadOnlyList<(long Term, LogRecordKind Kind, ReadOnlyMemory<byte> Payload)> received, long startIndex, bool skipCommitted, CancellationToken token)
    {
        if (received.Count == 0) return;
        long wait = 0;
        var appended = 0;
        lock (_gate)
        {
            ThrowIfFailed();
            ArgumentOutOfRangeException.ThrowIfGreaterThan(startIndex, _last + 1);
            var index = startIndex;
            foreach (var (term, kind, payload) in received)
            {
                if (index <= _commit)
                {
                    if (!skipCommitted) throw new InvalidOperationException($"entry {index} is committed (commit index {_commit}) and cannot be replaced");
                }
                else if (index <= _last && EntryAt(index).Term == term)
                {
                    // The same entry again (a resent request): keep it and what follows, but answer only once it is on disk.
                    wait = long.Max(wait, EntryAt(index).Sequence);
                }
                else
                {
                    if (index <= _last) TruncateFrom(index);
                    wait = Add(index, term, kind, payload, context: null);
                    appended++;
                }

                index++;
            }
        }

        if (wait == 0) return;
        _flushSignal.Set();
        await WaitDurableAsync(wait, token).ConfigureAwait(false);
        Interlocked.Add(ref _syncedEntries, appended);
    }

    private async ValueTask InstallAsync(IRaftLogEntry snapshot, long index, CancellationToken token)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            if (index <= _commit) throw new InvalidOperationException($"a snapshot at {index} is not past the commit index {_commit}");
        }

        long sequence;
        await _applyGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await _machine.InstallAsync(snapshot, index, snapshot.Term, token).ConfigureAwait(false);
            lock (_gate)
            {
                _entries.Clear();
                Volatile.Write(ref _first, index + 1);
                Volatile.Write(ref _last, index);
                Volatile.Write(ref _commit, index);
                Volatile.Write(ref _applied, index);
                (_residentFrom, _residentBytes) = (index + 1, 0);
                _rotateBeforeNext = true;
                sequence = ++_sequence;
                Queue(index, snapshot.Term, LogRecordKind.Reset, default, sequence);
            }
        }
        finally
        {
            _applyGate.Release();
        }

        _flushSignal.Set();
        await WaitDurableAsync(sequence, token).ConfigureAwait(false);
        SignalApplied();
    }

    private List<IRaftLogEntry> Read(long startIndex, long endIndex, out long? snapshotIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        lock (_gate)
        {
            ThrowIfFailed();
            ArgumentOutOfRangeException.ThrowIfGreaterThan(endIndex, _last);
            snapshotIndex = null;
            if (startIndex > endIndex) return [];
            var entries = new List<IRaftLogEntry>((int)long.Min(endIndex - startIndex + 2, 4096));

            // As DotNext's WAL: a read that starts at or below the snapshot gets the snapshot first, then what follows it.
            if (_machine.Snapshot is { } snapshot && snapshot.Index >= startIndex)
            {
                snapshotIndex = snapshot.Index;
                entries.Add(snapshot);
                startIndex = snapshot.Index + 1;
            }

            if (startIndex < _first)
            {
                throw new InvalidOperationException($"entries from {startIndex} are compacted and no snapshot covers them (first entry {_first})");
            }

            // A member this far behind is rare: its read waits for the disk, under the lock, rather than keep every
            // applied payload in memory until the next snapshot.
            SegmentReader? evicted = null;
            try
            {
                for (var index = startIndex; index <= endIndex; index++)
                {
                    var slot = EntryAt(index);
                    if (index < _residentFrom) slot.Payload = (evicted ??= _segments.OpenReader()).ReadPayload(slot.Position, index, slot.Term);
                    entries.Add(new StoredEntry(slot));
                }
            }
            finally
            {
                evicted?.Dispose();
            }

            return entries;
        }
    }

    private async ValueTask WaitDurableAsync(long sequence, CancellationToken token)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _durableChanged);
            if (Volatile.Read(ref _durableSequence) >= sequence) return;
            ThrowIfFailed();
            _flushSignal.Set();
            await changed.Task.WaitAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="round"/> each time <paramref name="signal"/> is set, until the log stops; a failure fails the log.</summary>
    private async Task RunLoopAsync(AsyncAutoResetEvent signal, Func<CancellationToken, ValueTask> round)
    {
        var token = _lifetime.Token;
        try
        {
            while (true)
            {
                await signal.WaitAsync(token).ConfigureAwait(false);
                await round(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>Writes what is queued with one synced write, then deletes what compaction or an install made obsolete.</summary>
    private async ValueTask FlushOnceAsync(CancellationToken token)
    {
        long maxIndex, sequence, compactTo;
        bool rotate;
        lock (_gate)
        {
            (_pending, _writing) = (_writing, _pending);
            (_pendingRecords, _writingRecords) = (_writingRecords, _pendingRecords);
            (maxIndex, sequence, rotate, compactTo) = (_pendingMaxIndex, _pendingSequence, _rotateBeforeNext, _compactRequest);
            (_pendingMaxIndex, _rotateBeforeNext, _compactRequest) = (0, false, 0);
        }

        if (rotate) _segments.Rotate();
        if (_writing.WrittenCount > 0)
        {
            var start = _segments.Append(_writing.WrittenSpan, maxIndex);
            NotePositions(start);
            Interlocked.Increment(ref _flushes);
            Interlocked.Add(ref _flushedBytes, _writing.WrittenCount);
            _writing.ResetWrittenCount();
            Volatile.Write(ref _durableSequence, sequence);
            Interlocked.Exchange(ref _durableChanged, NewSignal()).TrySetResult();
        }

        // An install recorded in the new segment makes every older one obsolete; a snapshot makes a prefix so.
        if (rotate) _segments.DeleteAllButNewest();
        if (compactTo > 0)
        {
            _segments.DeleteUpTo(compactTo);
            await ((ISnapshotManager)_machine).ReclaimGarbageAsync(compactTo, token).ConfigureAwait(false);
        }
    }

    private async ValueTask ApplyCommittedAsync(CancellationToken token)
    {
        var batch = new List<(long Index, LogSlot Entry)>();
        while (true)
        {
            batch.Clear();
            lock (_gate)
            {
                for (var index = _applied + 1; index <= _commit && batch.Count < 1024; index++)
                {
                    ref var slot = ref EntryAt(index);
                    batch.Add((index, slot));
                    slot.Context = null;
                }
            }

            if (batch.Count == 0) return;
            await _applyGate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                foreach (var (index, entry) in batch)
                {
                    // An installed snapshot overtook these entries.
                    if (index <= Volatile.Read(ref _applied)) continue;
                    if (entry.IsConfiguration)
                    {
                        if (ConfigurationStorage is { } members) await members.SaveConfigurationAsync(new StoredEntry(entry), index, token).ConfigureAwait(false);
                        _machine.SkipCommitted(index, entry.Term);
                    }
                    else
                    {
                        _machine.ApplyCommitted(index, entry.Term, new ReadOnlySequence<byte>(entry.Payload), entry.Context);
                    }

                    Volatile.Write(ref _applied, index);
                }
            }
            finally
            {
                _applyGate.Release();
            }

            // Before the writers wake (so what they see of memory is settled), and before a compaction that may take
            // some of these entries.
            EvictApplied(batch);
            SignalApplied();
            Compact();
        }
    }

    /// <summary>Records where the entries just written are, so their payloads can be dropped once applied.</summary>
    private void NotePositions(RecordPosition start)
    {
        lock (_gate)
        {
            foreach (var (index, sequence, offset) in _writingRecords)
            {
                // An entry replaced (or compacted) since its record was queued has a record of its own, or none.
                if (index < _first || index > _last) continue;
                ref var slot = ref EntryAt(index);
                if (slot.Sequence == sequence) slot.Position = start with { Offset = start.Offset + offset };
            }
        }

        _writingRecords.Clear();
    }

    /// <summary>
    /// Counts the payloads of the entries just applied as resident, then drops the oldest applied payloads past the
    /// budget; their records are on disk (an entry is applied only once committed, and committed only once durable).
    /// </summary>
    private void EvictApplied(List<(long Index, LogSlot Entry)> applied)
    {
        lock (_gate)
        {
            foreach (var (index, entry) in applied)
            {
                if (index >= _residentFrom && index <= _applied) _residentBytes += entry.Payload.Length;
            }

            while (_residentBytes > _residentBudget && _residentFrom <= _applied && _residentFrom >= _first)
            {
                ref var slot = ref EntryAt(_residentFrom);
                if (!slot.Position.IsKnown) break;
                _residentBytes -= slot.Payload.Length;
                slot.Payload = default;
                _residentFrom++;
            }
        }
    }

    /// <summary>Drops the entries a published snapshot holds; the flusher then deletes their segments.</summary>
    private void Compact()
    {
        if (_machine.Snapshot is not { } snapshot || snapshot.Index < Volatile.Read(ref _first)) return;
        lock (_gate)
        {
            // A snapshot is of applied state, and applied entries are in memory: upTo is within [_first, _last].
            var upTo = long.Min(snapshot.Index, _applied);
            if (upTo < _first) return;
            for (var index = long.Max(_residentFrom, _first); index <= upTo; index++) _residentBytes -= EntryAt(index).Payload.Length;
            _residentFrom = long.Max(_residentFrom, upTo + 1);
            _entries.RemoveRange(0, (int)(upTo - _first + 1));
            Volatile.Write(ref _first, upTo + 1);
            _compactRequest = upTo;
        }

        _flushSignal.Set();
    }

    /// <summary>Wakes the writers whose index is applied; all of them, with the reason, when the log failed or stopped.</summary>
    private void SignalApplied()
    {
        var applied = Volatile.Read(ref _applied);
        var failure = Unusable();
        lock (_applyWaiters)
        {
            while (_applyWaiters.TryPeek(out var waiter, out var index) && (index <= applied || failure is not null))
            {
                _applyWaiters.Dequeue();
                if (index <= applied) waiter.TrySetResult();
                else waiter.TrySetException(failure!);
            }
        }

    }

    private void Fail(Exception e)
    {
        var first = Interlocked.CompareExchange(ref _failure, e, null) is null;
        Interlocked.Exchange(ref _durableChanged, NewSignal()).TrySetResult();
        SignalApplied();
        if (first) Faulted?.Invoke(e);
    }

    private void ThrowIfFailed()
    {
        if (Unusable() is { } reason) throw reason;
    }

    /// <summary>Why the log takes no more calls (it failed, or it stopped), or null.</summary>
    private Exception? Unusable() =>
        Volatile.Read(ref _failure) is { } failure ? new IOException("the log failed and this node can no longer trust it", failure)
        : Volatile.Read(ref _stopped) != 0 ? new ObjectDisposedException(nameof(SegmentedLog))
        : null;

    /// <summary>Reads the records back; returns the commit index they name.</summary>
    private long Recover(long snapshotIndex)
    {
        _first = snapshotIndex + 1;
        _last = snapshotIndex;
        var commit = snapshotIndex;
        _residentFrom = _first;
        foreach (var (record, position) in _segments.ReadAll())
        {
            commit = long.Max(commit, record.Commit);
            if (record.Kind == LogRecordKind.Commit) continue;
            if (record.Kind == LogRecordKind.Reset)
            {
                if (record.Index > snapshotIndex)
                {
                    throw new InvalidDataException($"the log records a snapshot installed at {record.Index}, but the newest snapshot on disk is at {snapshotIndex}");
                }

                _entries.Clear();
                _first = snapshotIndex + 1;
                _last = snapshotIndex;
                continue;
            }

            if (record.Index <= snapshotIndex) continue;
            if (record.Index > _last + 1)
            {
                throw new InvalidDataException($"the log jumps from entry {_last} to {record.Index}; entries are missing");
            }

            if (record.Index <= _last) TruncateFrom(record.Index);
            _entries.Add(new LogSlot { Term = record.Term, IsConfiguration = record.Kind == LogRecordKind.Configuration, Payload = _payloads.Store(record.Payload.Span), Sequence = ++_sequence, Position = position });
            _last = record.Index;
        }

        _commit = long.Min(commit, _last);
        return _commit;
    }

    private async ValueTask StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _flusher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _applier.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // What was queued after the flusher's last round (nobody waits for it: the node is stopping), and the commit
        // index, so that a restart applies everything this node saw committed.
        if (_failure is null)
        {
            lock (_gate) Queue(_commit, 0, LogRecordKind.Commit, default, ++_sequence);
            await FlushOnceAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // Whoever still waits wakes up: to its record on disk, or to ObjectDisposedException.
        Interlocked.Exchange(ref _durableChanged, NewSignal()).TrySetResult();
        SignalApplied();
        _segments.Dispose();
        _lifetime.Dispose();
        _applyGate.Dispose();
    }
}
