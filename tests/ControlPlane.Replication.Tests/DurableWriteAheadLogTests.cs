using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace ControlPlane.Replication.Tests;

/// <summary>
/// What a follower has acknowledged must survive the crash of its process: DotNext recovers the log up to the last
/// index its checkpoint file names, and that file is written after the flush, so an entry appended but not yet
/// flushed is gone after a restart even though its bytes reached the page cache.
/// </summary>
public sealed class DurableWriteAheadLogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cp-wal-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(WriteAheadLog.MemoryManagementStrategy.SharedMemory)]
    [InlineData(WriteAheadLog.MemoryManagementStrategy.PrivateMemory)]
    public async Task FollowerAppendAndCommit_EveryAcknowledgedEntryIsRecoverableFromDisk(WriteAheadLog.MemoryManagementStrategy memory)
    {
        var live = Path.Combine(_root, "live");
        var wal = new DurableWriteAheadLog(Options(live, memory), IStateMachine.CreateNoOp(1_000));
        try
        {
            await wal.InitializeAsync();

            // Each round copies the files the moment the commit returns: what a process killed at that moment leaves.
            for (var index = 1L; index <= 20; index++)
            {
                var entry = new BinaryLogEntry { Term = 1, Content = new byte[] { (byte)index, 1, 2, 3 } };
                // What DotNext's AppendEntries handler does before it answers: append, then commit to the leader's index.
                await ((IAuditTrail<IRaftLogEntry>)wal).AppendAsync(new LogEntryProducer<BinaryLogEntry>([entry]), index, skipCommitted: true, CancellationToken.None);
                await ((IAuditTrail)wal).CommitAsync(index - 1, CancellationToken.None);

                var crashed = Path.Combine(_root, $"crash{index}");
                CopyDirectory(live, crashed);
                await using var recovered = new WriteAheadLog(Options(crashed, memory), IStateMachine.CreateNoOp(1_000));
                Assert.True(recovered.LastEntryIndex == index, $"after the follower answered for entry {index}, a restart recovers the log up to {recovered.LastEntryIndex}");
                // The commit index on disk is a hint, not a promise: DotNext's flusher reads it before it takes its lock,
                // so the checkpoint that makes entry `index` durable may still name the commit before (CI saw 11 for 12).
                // Raft keeps the commit index volatile; the leader's next AppendEntries restores it. It never runs ahead.
                Assert.InRange(recovered.LastCommittedEntryIndex, 0, index - 1);
            }

            Assert.Equal(20, wal.FollowerSyncedEntries);
        }
        finally
        {
            await wal.DisposeAsync();
        }

        // A clean shutdown writes the last commit index as well.
        await using var reopened = new WriteAheadLog(Options(live, memory), IStateMachine.CreateNoOp(1_000));
        Assert.Equal(20, reopened.LastEntryIndex);
        Assert.Equal(19, reopened.LastCommittedEntryIndex);
    }

    private static WriteAheadLog.Options Options(string location, WriteAheadLog.MemoryManagementStrategy memory) => new()
    {
        Location = location,
        MemoryManagement = memory,
        HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32,
    };

    private static void CopyDirectory(string from, string to)
    {
        // The checkpoint first: it decides what a restart believes was written.
        Directory.CreateDirectory(to);
        File.Copy(Path.Combine(from, "checkpoint"), Path.Combine(to, "checkpoint"));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
