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
        using var release = new ManualResetEventSlim();
        var held = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (machine, wal) = await OpenAsync("a");
        await using (machine)
        await using (wal)
        {
            machine.BeforeSnapshotWrite = index =>
            {
                held.TrySetResult(index);
                release.Wait(Deadline);
            };

            await AppendPutsAsync(wal, from: 1, count: 1);
            Assert.Equal(1, await held.Task.WaitAsync(Deadline));

            // The snapshot of index 1 is held on its writer thread; DotNext's SimpleStateMachine made these wait for it.
            await AppendPutsAsync(wal, from: 2, count: 4);
            Assert.Equal(5, machine.State.ObjectCount);
            Assert.Null(machine.Snapshot);
            Assert.Empty(SnapshotFile.FindAll(new DirectoryInfo(Path.Combine(_root, "a", "snapshots"))));

            release.Set();
            await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            Assert.Equal(1, machine.Snapshot?.Index);
        }

        // The file holds the state at its own index, not what was applied while it was written.
        var restored = new ResourceStateMachine(new DirectoryInfo(Path.Combine(_root, "a", "snapshots")), 1, NullLogger.Instance);
        await using (restored)
        {
            await restored.RestoreAsync();
            Assert.Equal(1, restored.State.AppliedIndex);
            Assert.Equal(1, restored.State.ObjectCount);
        }
    }

    [Fact]
    public async Task Restore_TakesTheNewestSnapshot_AndIgnoresFilesThatAreNotSnapshots()
    {
        var (machine, wal) = await OpenAsync("b");
        var folder = new DirectoryInfo(Path.Combine(_root, "b", "snapshots"));
        await using (machine)
        await using (wal)
        {
            for (var i = 1; i <= 3; i++)
            {
                await AppendPutsAsync(wal, from: i, count: 1);
                await machine.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            }

            Assert.Equal(3, machine.Snapshot?.Index);
            Assert.Equal(3, machine.SnapshotsWritten);
        }

        // What a crash or a seeding restore can leave behind: a half-written snapshot and a seed copy.
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
    public async Task ReclaimGarbage_DeletesOnlySnapshotsBelowTheWatermark()
    {
        var (machine, wal) = await OpenAsync("c");
        var folder = new DirectoryInfo(Path.Combine(_root, "c", "snapshots"));
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
        var (source, sourceWal) = await OpenAsync("source");
        SnapshotFile sent;
        await using (source)
        await using (sourceWal)
        {
            for (var i = 1; i <= 3; i++)
            {
                await AppendPutsAsync(sourceWal, from: i, count: 1);
                await source.WaitForSnapshotWriteAsync().WaitAsync(Deadline);
            }

            sent = Assert.IsType<SnapshotFile>(source.Snapshot);
            Assert.Equal(3, sent.Index);
        }

        var corruptPath = Path.Combine(_root, "corrupt-3-1");
        var bytes = await File.ReadAllBytesAsync(SnapshotFile.PathFor(new DirectoryInfo(Path.Combine(_root, "source", "snapshots")), 3, 1));
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
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "target", "snapshots")));

            await wal.AppendAsync(sent, sent.Index);

            Assert.Equal(3, target.Snapshot?.Index);
            Assert.Equal(3, target.State.AppliedIndex);
            Assert.Equal(3, target.State.ObjectCount);
            Assert.Equal(3, wal.LastCommittedEntryIndex);
            await AppendPutsAsync(wal, from: 4, count: 1);
            Assert.Equal(4, target.State.ObjectCount);
        }
    }

    private async Task<(ResourceStateMachine Machine, WriteAheadLog Wal)> OpenAsync(string name)
    {
        var machine = new ResourceStateMachine(Directory.CreateDirectory(Path.Combine(_root, name, "snapshots")), 1, NullLogger.Instance);
        await machine.RestoreAsync();
        var wal = new WriteAheadLog(
            new WriteAheadLog.Options { Location = Path.Combine(_root, name, "wal"), HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32 },
            machine);
        await wal.InitializeAsync();
        return (machine, wal);
    }

    /// <summary>Appends, commits and waits for the apply of Puts of w{from}..w{from+count-1}, one entry each, in term 1.</summary>
    private static async Task AppendPutsAsync(WriteAheadLog wal, int from, int count)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var last = 0L;
        for (var i = from; i < from + count; i++)
        {
            var command = ResourceCommand.FromRequest(SingleNodeStore.Put($"w{i}", $$"""{"n":{{i}}}"""), $"uid-{i}", 1_000 + i, ResourceLimits.DefaultMaxObjectBytes);
            last = await wal.AppendAsync(new BinaryLogEntry { Term = 1, Content = CommandCodec.Encode(command) }, timeout.Token);
        }

        await wal.CommitAsync(last, timeout.Token);
        await wal.WaitForApplyAsync(last, timeout.Token);
    }
}
