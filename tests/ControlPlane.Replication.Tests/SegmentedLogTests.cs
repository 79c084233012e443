using ControlPlane.Core.Validation;
using ControlPlane.Replication.Log;
using ControlPlane.Storage.Commands;
using ControlPlane.Testing.InProcess;
using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Replication.Tests;

/// <summary>
/// <see cref="SegmentedLog"/> driven the way DotNext's <see cref="RaftCluster"/> drives a log (through its interfaces;
/// no cluster), with real commands applied by <see cref="ResourceStateMachine"/>, and reopened the way a restarted
/// node opens it: a new state machine restored from its snapshots, then a new log over the same folder.
/// </summary>
public sealed class SegmentedLogTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const long NoSnapshots = 1L << 40;
    private readonly string _root = Directory.CreateTempSubdirectory("cp-seglog-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task LeaderAppendsCommitsAndApplies_InOrder_AndACleanRestartAppliesEverythingCommitted()
    {
        await using (var node = await OpenAsync("a"))
        {
            for (var i = 1; i <= 10; i++) Assert.Equal(i, await node.Log.AppendAsync(Put(i, term: 1), Token()));
            Assert.Equal(10, await node.Log.CommitAsync(10, Token()));
            await node.Log.WaitForApplyAsync(10, Token());
            Assert.Equal(10, node.Machine.State.ObjectCount);
            Assert.Equal(10, node.Log.LastAppliedIndex);
        }

        await using var reopened = await OpenAsync("a");
        Assert.Equal(10, reopened.Log.LastEntryIndex);
        Assert.Equal(10, reopened.Log.LastCommittedEntryIndex);
        Assert.Equal(10, reopened.Machine.State.ObjectCount);
        Assert.Equal(10, reopened.Machine.State.AppliedIndex);
    }

    [Fact]
    public async Task AWriterWaitingForItsIndex_WakesWhenThatIndexIsApplied_NotBefore_AndAStopEndsTheWait()
    {
        Task waitFor5, waitFor7;
        await using (var node = await OpenAsync("w"))
        {
            for (var i = 1; i <= 7; i++) await node.Log.AppendAsync(Put(i, term: 1), Token());
            waitFor5 = node.Log.WaitForApplyAsync(5, Token()).AsTask();
            waitFor7 = node.Log.WaitForApplyAsync(7, Token()).AsTask();

            await node.Log.CommitAsync(4, Token());
            await node.Log.WaitForApplyAsync(4, Token());
            Assert.False(waitFor5.IsCompleted);

            await node.Log.CommitAsync(5, Token());
            await waitFor5.WaitAsync(Deadline);
            Assert.Equal(5, node.Machine.State.AppliedIndex);
            Assert.False(waitFor7.IsCompleted);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waitFor7.WaitAsync(Deadline));
    }

    [Fact]
    public async Task AppliedPayloadsPastTheBudget_LeaveMemory_AndAreReadBackFromTheirRecords_AlsoAfterARestart()
    {
        // A budget of three entries: most applied payloads go, and a member that far behind still gets every one, read
        // across several small segments.
        var expected = Enumerable.Range(1, 20).Select(i => Put(i, term: 1).Content.ToArray()).ToArray();
        var budget = 3L * expected.Max(p => p.Length);
        await using (var node = await OpenAsync("e", segmentBytes: 1024, residentBytes: budget))
        {
            for (var i = 1; i <= 20; i++)
            {
                // Flushed in fours: a batch goes whole into one segment, and four entries fill one of 1 KiB.
                await node.Log.AppendAsync(Put(i, term: 1), Token());
                if (i % 4 == 0) await node.Log.FlushAsync(Token());
            }

            await node.Log.CommitAsync(20, Token());
            await node.Log.WaitForApplyAsync(20, Token());
            Assert.InRange(node.Engine.ResidentAppliedBytes, 1, budget);
            Assert.Equal(expected, await PayloadsAsync(node.Log, 1, 20));
            Assert.True(node.Engine.SegmentCount > 2, $"the entries went into {node.Engine.SegmentCount} segments");
        }

        await using var reopened = await OpenAsync("e", segmentBytes: 1024, residentBytes: budget);
        Assert.Equal(20, reopened.Machine.State.ObjectCount);
        Assert.InRange(reopened.Engine.ResidentAppliedBytes, 1, budget);
        Assert.Equal(expected, await PayloadsAsync(reopened.Log, 1, 20));
    }

    [Fact]
    public async Task AnEvictedPayloadWhoseRecordIsDamaged_FailsTheRead_NamingTheFile()
    {
        await using var node = await OpenAsync("d", residentBytes: 0);
        for (var i = 1; i <= 3; i++) await node.Log.AppendAsync(Put(i, term: 1), Token());
        await node.Log.CommitAsync(3, Token());
        await node.Log.WaitForApplyAsync(3, Token());
        Assert.Equal(0, node.Engine.ResidentAppliedBytes);

        var segment = Directory.EnumerateFiles(Path.Combine(_root, "d", SegmentedLog.RecordsFolder)).Single();
        await using (var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = LogRecord.HeaderSize; // the first record's payload
            var b = file.ReadByte();
            file.Position = LogRecord.HeaderSize;
            file.WriteByte((byte)(b ^ 0xFF));
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PayloadsAsync(node.Log, 1, 1));
        Assert.Contains($"{segment} does not hold entry 1 of term 1", e.Message, StringComparison.Ordinal);
        Assert.Equal([Put(2, term: 1).Content.ToArray()], await PayloadsAsync(node.Log, 2, 2));
    }

    [Fact]
    public async Task ConcurrentProposals_ShareSyncedWrites()
    {
        await using var node = await OpenAsync("g");
        const int Proposals = 64;

        // What 64 writers do on the leader: append without waiting for one another, then wait for their commit.
        await Task.WhenAll(Enumerable.Range(1, Proposals).Select(i => node.Log.AppendAsync(Put(i, term: 1), Token()).AsTask()));
        await node.Log.FlushAsync(Token());

        Assert.Equal(Proposals, node.Log.LastEntryIndex);
        Assert.InRange(node.Engine.Flushes, 1, Proposals / 2);
        Assert.Equal(Enumerable.Range(1, Proposals).Sum(i => LogRecord.HeaderSize + Put(i, 1).Content.Length), node.Engine.FlushedBytes);
    }

    [Fact]
    public async Task FollowerAppend_ReturnsOnlyOnceTheEntriesAreOnDisk()
    {
        await using var node = await OpenAsync("live");
        for (var index = 1L; index <= 20; index++)
        {
            // What DotNext's AppendEntries handler does before it answers: append, then commit to the leader's index.
            await node.Log.AppendAsync(new LogEntryProducer<BinaryLogEntry>([Put((int)index, term: 1)]), index, skipCommitted: true, Token());
            await node.Log.CommitAsync(index - 1, Token());

            // A process killed the moment the follower answered leaves these files.
            var crashed = Path.Combine(_root, $"crash{index}");
            CopyDirectory(Path.Combine(_root, "live"), crashed);
            await using var recovered = await OpenAsync($"crash{index}");
            Assert.True(recovered.Log.LastEntryIndex == index, $"after the follower answered for entry {index}, a restart recovers the log up to {recovered.Log.LastEntryIndex}");
            Assert.InRange(recovered.Log.LastCommittedEntryIndex, index - 2, index - 1);
        }

        Assert.Equal(20, node.Log.FollowerSyncedEntries);
    }

    [Fact]
    public async Task ConflictingEntriesAreReplaced_TheSameEntryAgainIsKept_AndARestartReplaysBoth()
    {
        await using (var node = await OpenAsync("c"))
        {
            await AppendAsync(node.Log, startIndex: 1, terms: [1, 1, 1, 1, 1]);
            await node.Log.CommitAsync(2, Token());

            // A new leader (term 2) replaces 4 and 5; the old leader's entry 3 is resent and stays.
            await AppendAsync(node.Log, startIndex: 4, terms: [2, 2]);
            await AppendAsync(node.Log, startIndex: 3, terms: [1]);
            Assert.Equal(new long[] { 1, 1, 1, 2, 2 }, await TermsAsync(node.Log, 1, 5));
            Assert.Equal(5, node.Log.LastEntryIndex);

            // A shorter conflicting suffix shortens the log.
            await AppendAsync(node.Log, startIndex: 4, terms: [3]);
            Assert.Equal(4, node.Log.LastEntryIndex);

            // Committed entries cannot be replaced, and the refusal changes nothing.
            await Assert.ThrowsAsync<InvalidOperationException>(() => AppendAsync(node.Log, startIndex: 2, terms: [3]));
            Assert.Equal(new long[] { 1, 1, 1, 3 }, await TermsAsync(node.Log, 1, 4));
        }

        await using var reopened = await OpenAsync("c");
        Assert.Equal(new long[] { 1, 1, 1, 3 }, await TermsAsync(reopened.Log, 1, 4));
    }

    [Fact]
    public async Task ATornLastRecord_IsCutAtStart_AndTheLogGoesOnFromTheLastWholeOne()
    {
        await using (var node = await OpenAsync("t"))
        {
            await AppendAsync(node.Log, startIndex: 1, terms: [1, 1, 1, 1, 1]);
        }

        var segment = Directory.GetFiles(Path.Combine(_root, "t", SegmentedLog.RecordsFolder)).Single();
        var length = new FileInfo(segment).Length;
        using (var file = File.OpenHandle(segment, FileMode.Open, FileAccess.Write))
        {
            // The commit record of the clean stop, and half of entry 5: what a crash in the middle of a write leaves.
            RandomAccess.SetLength(file, length - LogRecord.HeaderSize - (Put(5, 1).Content.Length / 2));
        }

        await using (var node = await OpenAsync("t"))
        {
            Assert.Equal(4, node.Log.LastEntryIndex);
            await AppendAsync(node.Log, startIndex: 5, terms: [2, 2]);
        }

        await using var reopened = await OpenAsync("t");
        Assert.Equal(new long[] { 1, 1, 1, 1, 2, 2 }, await TermsAsync(reopened.Log, 1, 6));
    }

    [Fact]
    public async Task ADamagedRecordBeforeTheNewestSegment_StopsTheNode_ItIsNotATornWrite()
    {
        await using (var node = await OpenAsync("d", segmentBytes: 1))
        {
            for (var i = 1; i <= 3; i++) await AppendAsync(node.Log, startIndex: i, terms: [1]);
        }

        var oldest = Directory.GetFiles(Path.Combine(_root, "d", SegmentedLog.RecordsFolder)).Order(StringComparer.Ordinal).First();
        var bytes = await File.ReadAllBytesAsync(oldest);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(oldest, bytes);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => OpenAsync("d", segmentBytes: 1));
        Assert.Contains($"log segment {oldest} is damaged at byte 0 and is not the newest one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASnapshotCompactsEntriesAndSegments_AndAReadFromBelowItStartsWithTheSnapshot()
    {
        var threshold = 3L * Put(1, 1).Content.Length;
        await using (var node = await OpenAsync("s", threshold, segmentBytes: 1))
        {
            for (var i = 1; i <= 4; i++)
            {
                await node.Log.CommitAsync(await node.Log.AppendAsync(Put(i, term: 1), Token()), Token());
                await node.Log.WaitForApplyAsync(i, Token());
                await node.Machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            }

            // The snapshot of index 3 is compacted away after the next apply: its entries and their segments go.
            Assert.Equal(3, node.Machine.Snapshot?.Index);
            await Eventually(() => node.Engine.SegmentCount == 1, "the segments of entries 1-3 are deleted");
            var (first, snapshotIndex, count, _) = await node.Log.ReadAsync(new Probe(), 1, 4, Token());
            Assert.True(first.IsSnapshot);
            Assert.Equal(3, snapshotIndex);
            Assert.Equal(2, count);
        }

        await using var reopened = await OpenAsync("s", threshold, segmentBytes: 1);
        Assert.Equal(4, reopened.Log.LastEntryIndex);
        Assert.Equal(4, reopened.Machine.State.ObjectCount);
    }

    [Fact]
    public async Task AnInstalledSnapshotReplacesTheLog_IsRecordedBeforeItIsAcknowledged_AndSurvivesARestart()
    {
        var threshold = 3L * Put(1, 1).Content.Length;
        LeaderSnapshot leader;
        await using (var source = await OpenAsync("leader", threshold))
        {
            for (var i = 1; i <= 3; i++) await source.Log.CommitAsync(await source.Log.AppendAsync(Put(i, term: 2), Token()), Token());
            await source.Log.WaitForApplyAsync(3, Token());
            await source.Machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            leader = new LeaderSnapshot(Assert.IsAssignableFrom<IRaftLogEntry>(source.Machine.Snapshot), source.Machine.Snapshot!.Index);
        }

        await using (var follower = await OpenAsync("follower"))
        {
            // Stale entries of an old term, never committed.
            await AppendAsync(follower.Log, startIndex: 1, terms: [1, 1, 1, 1, 1]);
            await follower.Log.AppendAsync(leader.Entry, leader.Index, Token());

            Assert.Equal(3, follower.Log.LastEntryIndex);
            Assert.Equal(3, follower.Log.LastCommittedEntryIndex);
            Assert.Equal(3, follower.Machine.State.ObjectCount);
        }

        // The stale entries 4 and 5 do not come back with a restart: the install was recorded.
        await using (var restarted = await OpenAsync("follower"))
        {
            Assert.Equal(3, restarted.Log.LastEntryIndex);
            Assert.Equal(3, restarted.Machine.State.ObjectCount);
            await AppendAsync(restarted.Log, startIndex: 4, terms: [2]);
        }

        await using var reopened = await OpenAsync("follower");
        Assert.Equal(4, reopened.Log.LastEntryIndex);
        Assert.Equal(new long[] { 2 }, await TermsAsync(reopened.Log, 4, 4));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "follower", SegmentedLog.RecordsFolder)));
    }

    [Fact]
    public async Task AWriteThatFails_FaultsTheLogOnce_AndEveryLaterCallFails()
    {
        await using var node = await OpenAsync("f", segmentBytes: 1);
        var faults = new List<Exception>();
        node.Engine.Faulted += faults.Add;
        await AppendAsync(node.Log, startIndex: 1, terms: [1]);

        // The next flush starts a segment in a folder that is gone.
        Directory.Delete(Path.Combine(_root, "f", SegmentedLog.RecordsFolder), recursive: true);
        var write = await Assert.ThrowsAsync<IOException>(() => AppendAsync(node.Log, startIndex: 2, terms: [1]));

        Assert.Equal("the log failed and this node can no longer trust it", write.Message);
        Assert.IsType<DirectoryNotFoundException>(Assert.Single(faults));
        await Assert.ThrowsAsync<IOException>(() => node.Log.AppendAsync(Put(3, term: 1), Token()).AsTask());
        Assert.Single(faults);
    }

    [Fact]
    public async Task ADataDirectoryKeepsTheEngineThatCreatedIt_AndANewOneGetsTheSegmentedLog()
    {
        var fresh = Directory.CreateDirectory(Path.Combine(_root, "fresh"));
        var older = Directory.CreateDirectory(Path.Combine(_root, "older"));
        var machine = new ResourceStateMachine(fresh.CreateSubdirectory("snapshots"), NoSnapshots, NullLogger.Instance);
        await using (machine)
        {
            await machine.RestoreAsync();
            await using (var log = RaftNode.OpenLog(fresh, new RaftOptions(), machine))
            {
                Assert.IsType<SegmentedLog>(log);
            }

            var e = Assert.Throws<InvalidOperationException>(() => RaftNode.OpenLog(fresh, new RaftOptions { LogEngine = LogEngine.DotNext }, machine));
            Assert.Contains("ControlPlane:Raft:LogEngine is DotNext, but this data directory's log was written by Segmented", e.Message, StringComparison.Ordinal);

            // A data directory from before the segmented log keeps DotNext's WAL when nothing is configured.
            await using (RaftNode.OpenLog(older, new RaftOptions { LogEngine = LogEngine.DotNext }, machine))
            {
            }

            await using (var log = RaftNode.OpenLog(older, new RaftOptions(), machine))
            {
                Assert.IsType<DurableWriteAheadLog>(log);
            }

            e = Assert.Throws<InvalidOperationException>(() => RaftNode.OpenLog(older, new RaftOptions { LogEngine = LogEngine.Segmented }, machine));
            Assert.Contains("ControlPlane:Raft:LogEngine is Segmented, but this data directory's log was written by DotNext", e.Message, StringComparison.Ordinal);
        }
    }

    private async Task<Node> OpenAsync(string name, long threshold = NoSnapshots, long segmentBytes = 64L << 20, long residentBytes = 4L << 20)
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, name));
        var machine = new ResourceStateMachine(root.CreateSubdirectory("snapshots"), threshold, NullLogger.Instance);
        await machine.RestoreAsync();
        var log = new SegmentedLog(root, machine, segmentBytes, residentBytes);
        await log.InitializeAsync(Token());
        return new Node(machine, log);
    }

    private static async Task AppendAsync(IReplicatedLog log, long startIndex, long[] terms)
    {
        var entries = terms.Select((term, i) => Put((int)(startIndex + i), term)).ToArray();
        await log.AppendAsync(new LogEntryProducer<BinaryLogEntry>(entries), startIndex, skipCommitted: false, Token());
    }

    private static async Task<byte[][]> PayloadsAsync(IReplicatedLog log, long from, long to) =>
        await log.ReadAsync(new PayloadProbe(), from, to, Token());

    private static async Task<long[]> TermsAsync(IReplicatedLog log, long from, long to)
    {
        var (_, _, _, terms) = await log.ReadAsync(new Probe(), from, to, Token());
        return terms;
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < Deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    private static CancellationToken Token() => new CancellationTokenSource(Deadline).Token;

    private static BinaryLogEntry Put(int i, long term) => new()
    {
        Term = term,
        Content = CommandCodec.Encode(ResourceCommand.FromRequest(SingleNodeStore.Put($"w{i}", $$"""{"n":{{i}}}"""), $"uid-{i}", 1_000 + i, ResourceLimits.DefaultMaxObjectBytes)),
    };

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed record Node(ResourceStateMachine Machine, SegmentedLog Engine) : IAsyncDisposable
    {
        public IReplicatedLog Log => Engine;

        public async ValueTask DisposeAsync()
        {
            await Engine.DisposeAsync();
            await Machine.DisposeAsync();
        }
    }

    private sealed record LeaderSnapshot(IRaftLogEntry Entry, long Index);

    /// <summary>Reads each entry's payload, as DotNext's replication sends it.</summary>
    private sealed class PayloadProbe : ILogEntryConsumer<IRaftLogEntry, byte[][]>
    {
        public async ValueTask<byte[][]> ReadAsync<TEntry, TList>(TList entries, long? snapshotIndex, CancellationToken token)
            where TEntry : IRaftLogEntry
            where TList : IReadOnlyList<TEntry>
        {
            var payloads = new byte[entries.Count][];
            for (var i = 0; i < entries.Count; i++) payloads[i] = await DotNext.IO.DataTransferObject.ToByteArrayAsync(entries[i], token: token);
            return payloads;
        }
    }

    /// <summary>Reads what DotNext's replication reads: the entries' terms, whether a snapshot came first, and how many.</summary>
    private sealed class Probe : ILogEntryConsumer<IRaftLogEntry, (IRaftLogEntry First, long? SnapshotIndex, int Count, long[] Terms)>
    {
        public ValueTask<(IRaftLogEntry First, long? SnapshotIndex, int Count, long[] Terms)> ReadAsync<TEntry, TList>(TList entries, long? snapshotIndex, CancellationToken token)
            where TEntry : IRaftLogEntry
            where TList : IReadOnlyList<TEntry>
            => ValueTask.FromResult<(IRaftLogEntry, long?, int, long[])>((entries[0], snapshotIndex, entries.Count, entries.Select(e => e.Term).ToArray()));
    }
}
