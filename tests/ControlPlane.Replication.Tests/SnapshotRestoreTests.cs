using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Replication.Membership;
using ControlPlane.Storage.Snapshots;
using ControlPlane.Testing.InProcess;

namespace ControlPlane.Replication.Tests;

public sealed class SnapshotRestoreTests
{
    [Fact]
    public async Task RestoreIntoFreshDirectory_ObjectsKeepResourceVersions_LogContinuesAboveSnapshot_AcrossRestart()
    {
        var source = await SingleNodeStore.StartAsync();
        var written = new Dictionary<string, long>();
        for (var i = 0; i < 15; i++)
        {
            written[$"w{i % 10}"] = (await source.Store.WriteAsync(SingleNodeStore.Put($"w{i % 10}", $$"""{"n":{{i}}}"""), CancellationToken.None)).EnsureSuccess().ResourceVersion;
        }

        var saved = source.Node.StateMachine.State;
        var file = Path.Combine(Path.GetTempPath(), $"cp-restore-{Guid.NewGuid():N}.snap");
        await using (var stream = File.Create(file)) SnapshotCodec.Write(saved, stream);
        await source.DisposeAsync();

        var restored = await SingleNodeStore.StartAsync(restoreFromSnapshot: file);
        // The log starts at the snapshot's index; the new leader's own first entry may already have committed on top.
        Assert.InRange(restored.Node.Log.LastCommittedEntryIndex, saved.AppliedIndex, saved.AppliedIndex + 1);
        foreach (var (name, rv) in written)
        {
            var (resource, _) = await restored.Store.GetAsync(Key(name), ReadConsistency.Linearizable, CancellationToken.None);
            Assert.Equal(rv, resource?.ResourceVersion);
        }

        var next = (await restored.Store.WriteAsync(SingleNodeStore.Put("after", "{}"), CancellationToken.None)).EnsureSuccess();
        Assert.True(next.ResourceVersion > saved.AppliedIndex, $"the first write after a restore got {next.ResourceVersion}, not above the snapshot's {saved.AppliedIndex}");

        // A restart keeps the seeded state and the new write (the restore flag is ignored once applied).
        var directory = restored.Directory;
        restored = await restored.RestartAsync();
        await using (restored)
        {
            var (after, _) = await restored.Store.GetAsync(Key("after"), ReadConsistency.Linearizable, CancellationToken.None);
            Assert.Equal(next.ResourceVersion, after?.ResourceVersion);
            var (w0, _) = await restored.Store.GetAsync(Key("w0"), ReadConsistency.Linearizable, CancellationToken.None);
            Assert.Equal(written["w0"], w0?.ResourceVersion);
        }

        // The same file against a directory that now holds data is refused, never applied over it.
        await Assert.ThrowsAsync<InvalidOperationException>(() => SnapshotRestore.SeedAsync(CopyWithFlippedByte(file), directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None));
        File.Delete(file);
    }

    [Fact]
    public async Task RestoreOfCorruptSnapshot_RefusedWithClearError()
    {
        var source = await SingleNodeStore.StartAsync();
        (await source.Store.WriteAsync(SingleNodeStore.Put("x", "{}"), CancellationToken.None)).EnsureSuccess();
        var file = Path.Combine(Path.GetTempPath(), $"cp-restore-{Guid.NewGuid():N}.snap");
        await using (var stream = File.Create(file)) SnapshotCodec.Write(source.Node.StateMachine.State, stream);
        await source.DisposeAsync();

        var corrupt = CopyWithFlippedByte(file, offsetFromEnd: 60);
        var target = Path.Combine(Path.GetTempPath(), "cp-repl-" + Guid.NewGuid().ToString("N"));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => SnapshotRestore.SeedAsync(corrupt, target, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None));
        Assert.Contains("not a usable ControlPlane snapshot", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(target, "snapshots")) && Directory.EnumerateFiles(Path.Combine(target, "snapshots")).Any(), "nothing is seeded from a corrupt file");
    }

    [Fact]
    public async Task RemovedMembersDataDirectory_RefusedAtStart()
    {
        var node = await SingleNodeStore.StartAsync();
        var directory = node.Directory;
        Assert.True(await node.Node.MarkRemovedAsync(new RemovalMarker(42, "leader-x", "test", 0), CancellationToken.None));
        Assert.True(node.Node.IsRemoved);
        await node.StopAsync();

        var e = await Assert.ThrowsAsync<RemovedMemberException>(() => SingleNodeStore.StartAsync(directory));
        Assert.Contains("cannot rejoin with its old data", e.Message, StringComparison.Ordinal);
        Assert.Contains("configuration index 42", e.Message, StringComparison.Ordinal);
    }

    private static ResourceKey Key(string name) => ResourceKey.Create("example.com/v1", "Widget", "default", name);

    private static string CopyWithFlippedByte(string file, int offsetFromEnd = 1)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[^offsetFromEnd] ^= 0xFF;
        var copy = file + ".changed";
        File.WriteAllBytes(copy, bytes);
        return copy;
    }
}
