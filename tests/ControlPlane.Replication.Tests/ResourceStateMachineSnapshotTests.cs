using ControlPlane.Core.Validation;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.Snapshots;
using ControlPlane.Testing.InProcess;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Replication.Tests;

/// <summary>
/// The state machine inside a real DotNext WAL (no cluster: entries appended and committed directly), with a
/// snapshot threshold of one byte so every command starts a snapshot.
/// </summary>
public sealed class ResourceStateMachineSnapshotTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("cp-sm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SnapshotBeingWritten_LaterEntriesApplyWithoutWaiting_AndItIsPublishedOnlyOnceOnDisk()
    {
        using var gate = new SnapshotGate();
        var (machine, wal) = await OpenWithFirstSnapshotHeldAsync("a", gate);
        await using (machine)
        await using (wal)
        {
            // The snapshot of index 1 is held on its writer thread; DotNext's SimpleStateMachine made these wait for it.
            await AppendPutsAsync(wal, from: 2, count: 4);
            Assert.Equal(5, machine.State.ObjectCount);
            Assert.Null(machine.Snapshot);
            Assert.Empty(SnapshotFile.FindAll(Snapshots("a")));

            gate.Release();
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            Assert.Equal(1, machine.Snapshot?.Index);
        }

        // The file holds the state at its own index, not what was applied while it was written.
        var restored = new ResourceStateMachine(Snapshots("a"), 1, NullLogger.Instance);
        await using (restored)
        {
            await restored.RestoreAsync();
            Assert.Equal(1, restored.State.AppliedIndex);
            Assert.Equal(1, restored.State.ObjectCount);
        }
    }

    [Fact]
    public async Task SnapshotWriteFails_NothingIsPublished_AndTheNextThresholdWritesOne()
    {
        var (machine, wal) = await OpenAsync("fail");
        var folder = Snapshots("fail").FullName;
        await using (machine)
        await using (wal)
        {
            var attempts = 0;
            machine.BeforeSnapshotWrite = _ =>
            {
                if (Interlocked.Increment(ref attempts) == 1) throw new IOException("disk full (injected)");
            };

            await AppendPutsAsync(wal, from: 1, count: 1);
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            Assert.Null(machine.Snapshot);
            Assert.Equal(0, machine.SnapshotsWritten);
            Assert.Equal(1, machine.SnapshotWriteFailures);
            Assert.Empty(Directory.EnumerateFiles(folder));

            await AppendPutsAsync(wal, from: 2, count: 1);
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            Assert.Equal(2, machine.Snapshot?.Index);
            Assert.Equal(1, machine.SnapshotsWritten);
            Assert.Equal(2, attempts);
        }
    }

    [Fact]
    public async Task DisposedWhileASnapshotIsBeingWritten_ItIsAbandoned_NotPublishedNorCountedAsFailed()
    {
        using var gate = new SnapshotGate();
        var (machine, wal) = await OpenWithFirstSnapshotHeldAsync("stopping", gate);
        await using (wal)
        {
            var disposing = machine.DisposeAsync().AsTask();
            gate.Release();
            await disposing.WaitAsync(Deadline);

            Assert.Null(machine.Snapshot);
            Assert.Equal(0, machine.SnapshotsWritten);
            Assert.Equal(0, machine.SnapshotWriteFailures);
            Assert.Empty(Directory.EnumerateFiles(Snapshots("stopping").FullName));
            await machine.DisposeAsync(); // a second dispose does nothing
        }
    }

    [Fact]
    public async Task InstallWhileAnOlderSnapshotIsBeingWritten_TheInstalledOneStays()
    {
        var sent = await SnapshotOfPutsAsync("newer", from: 11, count: 3);

        using var gate = new SnapshotGate();
        var (target, wal) = await OpenWithFirstSnapshotHeldAsync("older", gate);
        await using (target)
        await using (wal)
        {
            // The install completes while this replica's own, older snapshot is still held; that one finishes after it.
            await wal.AppendAsync(sent, sent.Index).AsTask().WaitAsync(Deadline);
            Assert.Equal(3, target.Snapshot?.Index);
            gate.Release();
            await target.WaitForSnapshotWriteAsync().WaitAsync(Deadline);

            // The overtaken one is deleted rather than left for a later reclaim, and not counted as published.
            Assert.Equal(0, target.SnapshotsWritten);
            Assert.Equal(new long[] { 3 }, SnapshotFile.FindAll(Snapshots("older")).Select(f => f.Index));

            Assert.Equal(3, target.Snapshot?.Index);
            Assert.Equal(["w11", "w12", "w13"], target.State.Kinds.Values.SelectMany(k => k.Keys).Select(k => k.Name).Order());
        }
    }

    [Fact]
    public async Task Restore_TakesTheNewestSnapshot_AndIgnoresFilesThatAreNotSnapshots()
    {
        var (machine, wal) = await OpenAsync("b");
        var folder = Snapshots("b");
        await using (machine)
        await using (wal)
        {
            await AppendEachThenSnapshotAsync(machine, wal, from: 1, count: 3);

            Assert.Equal(3, machine.Snapshot?.Index);
            Assert.Equal(3, machine.SnapshotsWritten);
        }

        // What a crash can leave behind: a half-written snapshot, and a seed copy as versions before this one named it.
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "9-1.partial"), "torn");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "9-0.seed"), "torn");
        var restored = new ResourceStateMachine(folder, 1, NullLogger.Instance);
        await using (restored)
        {
            await restored.RestoreAsync();
            Assert.Equal(3, restored.Snapshot?.Index);
            Assert.Equal(3, restored.State.ObjectCount);
            Assert.False(File.Exists(Path.Combine(folder.FullName, "9-1.partial")), "a partial snapshot is deleted at restore");
        }
    }

    [Fact]
    public async Task Restore_SnapshotNamedForAnotherIndex_IsRefused()
    {
        var sent = await SnapshotOfPutsAsync("named", from: 1, count: 3);
        var folder = Directory.CreateDirectory(Path.Combine(_root, "misnamed"));
        File.Copy(SnapshotFile.PathFor(Snapshots("named"), sent.Index, sent.Term), SnapshotFile.PathFor(folder, 7, 1));
        var machine = new ResourceStateMachine(folder, 1, NullLogger.Instance);
        await using (machine)
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => machine.RestoreAsync().AsTask());
            Assert.Contains("7-1 holds the state at index 3", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, machine.State.ObjectCount);
        }
    }

    [Fact]
    public async Task Snapshot_BeforeRestore_Throws()
    {
        var machine = new ResourceStateMachine(Directory.CreateDirectory(Path.Combine(_root, "early")), 1, NullLogger.Instance);
        await using (machine)
        {
            Assert.Throws<InvalidOperationException>(() => machine.Snapshot);
            await machine.RestoreAsync();
            Assert.Null(machine.Snapshot);
        }
    }

    [Fact]
    public async Task ReclaimGarbage_DeletesOnlySnapshotsBelowTheWatermark()
    {
        var (machine, wal) = await OpenAsync("c");
        var folder = Snapshots("c");
        await using (machine)
        await using (wal)
        {
            await AppendPutsAsync(wal, from: 1, count: 1);
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            File.Copy(SnapshotFile.PathFor(folder, 1, 1), SnapshotFile.PathFor(folder, 0, 1));
            File.Copy(SnapshotFile.PathFor(folder, 1, 1), SnapshotFile.PathFor(folder, 2, 1));

            await ((ISnapshotManager)machine).ReclaimGarbageAsync(1, CancellationToken.None);

            Assert.Equal(new long[] { 1, 2 }, SnapshotFile.FindAll(folder).Select(s => s.Index).Order());
        }
    }

    [Fact]
    public async Task InstalledSnapshot_ReplacesStateAndSnapshot_ButACorruptOneChangesNothing()
    {
        var sent = await SnapshotOfPutsAsync("source", from: 1, count: 3);
        Assert.Equal(3, sent.Index);

        var corruptPath = Path.Combine(_root, "corrupt-3-1");
        var bytes = await File.ReadAllBytesAsync(SnapshotFile.PathFor(Snapshots("source"), 3, 1));
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(corruptPath, bytes);
        var corrupt = new SnapshotFile(new FileInfo(corruptPath), 3, 1);

        var (target, wal) = await OpenAsync("target");
        await using (target)
        await using (wal)
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => wal.AppendAsync(corrupt, corrupt.Index).AsTask());
            Assert.Equal(0, target.State.ObjectCount);
            Assert.Null(target.Snapshot);
            Assert.Empty(Directory.EnumerateFiles(Snapshots("target").FullName));

            await wal.AppendAsync(sent, sent.Index);

            Assert.Equal(3, target.Snapshot?.Index);
            Assert.Equal(3, target.State.AppliedIndex);
            Assert.Equal(3, target.State.ObjectCount);
            Assert.Equal(3, wal.LastCommittedEntryIndex);
            await AppendPutsAsync(wal, from: 4, count: 1);
            Assert.Equal(4, target.State.ObjectCount);
        }
    }

    [Fact]
    public async Task SnapshotPhase_MovesEveryReplicasSnapshotsByThatShareOfTheThreshold_AndARestartKeepsItsSchedule()
    {
        var atZero = await SnapshotIndexesAsync("zero", TwoCommands, phase: 0, from: 1, count: 7);
        var atHalf = await SnapshotIndexesAsync("half", TwoCommands, phase: 0.5, from: 1, count: 7);

        Assert.Equal(new long[] { 2, 4, 6 }, atZero);
        Assert.Equal(new long[] { 3, 5, 7 }, atHalf);

        // Restarted from its own snapshot of 7, the replica goes on with 9 (counting the phase again would make it 10,
        // one command off its schedule, and after enough restarts on another member's).
        Assert.Equal(new long[] { 9 }, await SnapshotIndexesAsync("half", TwoCommands, phase: 0.5, from: 8, count: 3));
    }

    [Fact]
    public async Task SnapshotPhase_CountsFromASeededSnapshot_WhichEveryMemberStartsFrom()
    {
        // `cpctl snapshot restore` gives every member the same file, named with term 0.
        await SnapshotIndexesAsync("source", TwoCommands, phase: 0, from: 1, count: 7);
        foreach (var name in new[] { "seeded-zero", "seeded-half" })
        {
            File.Copy(SnapshotFile.PathFor(Snapshots("source"), 6, 1), SnapshotFile.PathFor(Directory.CreateDirectory(Snapshots(name).FullName), 6, 0));
        }

        Assert.Equal(new long[] { 8 }, await SnapshotIndexesAsync("seeded-zero", TwoCommands, phase: 0, from: 7, count: 3));
        Assert.Equal(new long[] { 9 }, await SnapshotIndexesAsync("seeded-half", TwoCommands, phase: 0.5, from: 7, count: 3));
    }

    [Fact]
    public async Task SnapshotPhase_CountsFromAnInstalledSnapshot()
    {
        var sent = await SnapshotOfPutsAsync("leader", from: 1, count: 3);
        var (target, wal) = await OpenAsync("follower", TwoCommands, phase: 0.5);
        await using (target)
        await using (wal)
        {
            await wal.AppendAsync(sent, sent.Index);
            var taken = new List<long>();
            for (var i = 4; i <= 7; i++)
            {
                await AppendEachThenSnapshotAsync(target, wal, i, 1);
                if (target.Snapshot?.Index is { } index && index != taken.LastOrDefault(3)) taken.Add(index);
            }

            // Half a threshold and a threshold after the install at 3 (from 0 it would be 5 and 7).
            Assert.Equal(new long[] { 6 }, taken);
        }
    }

    [Fact]
    public async Task SnapshotDelayedByTheWriter_TheNextOneStaysOnSchedule()
    {
        using var gate = new SnapshotGate();
        var (machine, wal) = await OpenAsync("late", TwoCommands, phase: 0);
        await using (machine)
        await using (wal)
        {
            machine.BeforeSnapshotWrite = gate.Hold;
            await AppendPutsAsync(wal, from: 1, count: 2);
            Assert.Equal(2, await gate.Held.WaitAsync(Deadline));

            // The snapshot due at 4 cannot start while 2 is being written; it starts at 5, a command late.
            await AppendPutsAsync(wal, from: 3, count: 2);
            gate.Release();
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            await AppendEachThenSnapshotAsync(machine, wal, 5, 1);
            Assert.Equal(5, machine.Snapshot?.Index);

            // The command past the threshold counts: the next is due at 6, on the schedule of 2, 4, 6.
            await AppendEachThenSnapshotAsync(machine, wal, 6, 1);
            Assert.Equal(6, machine.Snapshot?.Index);
        }
    }

    [Theory]
    [InlineData(7001, 0.0)]
    [InlineData(7002, 1.0 / 3)]
    [InlineData(7003, 2.0 / 3)]
    [InlineData(7009, 0.0)]
    public void SnapshotPhase_IsTheMembersPlaceAmongTheInitialMembersByName_FoundByItsRaftEndpoint(int port, double expected)
    {
        static System.Net.IPEndPoint At(int port) => new(System.Net.IPAddress.Loopback, port);
        var identity = new NodeIdentity
        {
            Name = "any",
            RaftEndpoint = At(port),
            RaftListenEndpoint = At(port),
            GrpcEndpoint = "http://127.0.0.1:2",
            DataDirectory = _root,
            InitialMembers = [new ClusterMember("node-c", At(7003), "http://127.0.0.1:2"), new ClusterMember("node-a", At(7001), "http://127.0.0.1:2"), new ClusterMember("node-b", At(7002), "http://127.0.0.1:2")],
        };

        Assert.Equal(expected, RaftNode.SnapshotPhase(identity), precision: 9);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void SnapshotPhase_OutsideZeroToOne_IsRefused(double phase) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResourceStateMachine(Snapshots("bad"), 100, NullLogger.Instance, phase));

    /// <summary>Applies the Puts one at a time in the replica of folder <paramref name="name"/>; returns the indexes it snapshotted.</summary>
    private async Task<long[]> SnapshotIndexesAsync(string name, long threshold, double phase, int from, int count)
    {
        var (machine, wal) = await OpenAsync(name, threshold, phase);
        await using (machine)
        await using (wal)
        {
            var indexes = new List<long>();
            for (var i = from; i < from + count; i++)
            {
                var before = machine.Snapshot?.Index;
                await AppendEachThenSnapshotAsync(machine, wal, i, 1);
                if (machine.Snapshot?.Index is { } index && index != before) indexes.Add(index);
            }

            return [.. indexes];
        }
    }

    /// <summary>A threshold of two commands: w1..w9 encode to the same length, so the snapshot points are easy to name.</summary>
    private static long TwoCommands => 2L * Encode(1).Length;

    private Task<(ResourceStateMachine Machine, WriteAheadLog Wal)> OpenAsync(string name) => OpenAsync(name, 1, 0);

    private async Task<(ResourceStateMachine Machine, WriteAheadLog Wal)> OpenAsync(string name, long threshold, double phase)
    {
        var machine = new ResourceStateMachine(Directory.CreateDirectory(Snapshots(name).FullName), threshold, NullLogger.Instance, phase);
        await machine.RestoreAsync();
        var wal = new WriteAheadLog(
            new WriteAheadLog.Options { Location = Path.Combine(_root, name, "wal"), HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32 },
            machine);
        await wal.InitializeAsync();
        return (machine, wal);
    }

    /// <summary>The snapshot folder of the replica in folder <paramref name="name"/>.</summary>
    private DirectoryInfo Snapshots(string name) => new(Path.Combine(_root, name, "snapshots"));

    /// <summary>A replica that applied one Put (w1) and whose snapshot of it is held by <paramref name="gate"/>.</summary>
    private async Task<(ResourceStateMachine Machine, WriteAheadLog Wal)> OpenWithFirstSnapshotHeldAsync(string name, SnapshotGate gate)
    {
        var (machine, wal) = await OpenAsync(name);
        machine.BeforeSnapshotWrite = gate.Hold;
        await AppendPutsAsync(wal, from: 1, count: 1);
        Assert.Equal(1, await gate.Held.WaitAsync(Deadline));
        return (machine, wal);
    }

    /// <summary>The snapshot a leader would send: a replica in folder <paramref name="name"/> that applied those Puts.</summary>
    private async Task<SnapshotFile> SnapshotOfPutsAsync(string name, int from, int count)
    {
        var (source, wal) = await OpenAsync(name);
        await using (source)
        await using (wal)
        {
            await AppendEachThenSnapshotAsync(source, wal, from, count);
            return Assert.IsType<SnapshotFile>(source.Snapshot);
        }
    }

    /// <summary>One Put at a time, each followed by the snapshot it starts: the snapshot ends at the last one.</summary>
    private static async Task AppendEachThenSnapshotAsync(ResourceStateMachine machine, WriteAheadLog wal, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await AppendPutsAsync(wal, from: i, count: 1);
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
        }
    }

    /// <summary>Appends, commits and waits for the apply of Puts of w{from}..w{from+count-1}, one entry each, in term 1.</summary>
    private static async Task AppendPutsAsync(WriteAheadLog wal, int from, int count)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var last = 0L;
        for (var i = from; i < from + count; i++)
        {
            last = await wal.AppendAsync(new BinaryLogEntry { Term = 1, Content = Encode(i) }, timeout.Token);
        }

        await wal.CommitAsync(last, timeout.Token);
        await wal.WaitForApplyAsync(last, timeout.Token);
    }

    /// <summary>The command of the Put of w{i}.</summary>
    private static ReadOnlyMemory<byte> Encode(int i) => CommandCodec.Encode(
        ResourceCommand.FromRequest(SingleNodeStore.Put($"w{i}", $$"""{"n":{{i}}}"""), $"uid-{i}", 1_000 + i, ResourceLimits.DefaultMaxObjectBytes));

    /// <summary>Holds a snapshot on its writer thread (up to the deadline) until released.</summary>
    private sealed class SnapshotGate : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource<long> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The index of the first snapshot held.</summary>
        public Task<long> Held => _held.Task;

        public void Hold(long index)
        {
            _held.TrySetResult(index);
            _release.Wait(Deadline);
        }

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }
}
