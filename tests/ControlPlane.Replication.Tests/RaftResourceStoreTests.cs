using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Testing.InProcess;

namespace ControlPlane.Replication.Tests;

public sealed class RaftResourceStoreTests
{
    [Fact]
    public async Task Write_ThenCloseAndReopen_EveryObjectKeepsItsResourceVersion()
    {
        var node = await SingleNodeStore.StartAsync();
        var written = new Dictionary<string, long>();
        for (var i = 0; i < 20; i++)
        {
            var result = (await node.Store.WriteAsync(SingleNodeStore.Put($"w{i}", $$"""{"n":{{i}}}"""), CancellationToken.None)).EnsureSuccess();
            Assert.Equal(WriteOutcome.Created, result.Outcome);
            written[$"w{i}"] = result.ResourceVersion;
        }

        var hashBefore = node.Node.StateMachine.State.Hash;
        node = await node.RestartAsync();
        await using (node)
        {
            foreach (var (name, rv) in written)
            {
                var (resource, _) = await node.Store.GetAsync(ResourceKey.Create("example.com/v1", "Widget", "default", name), ReadConsistency.Linearizable, CancellationToken.None);
                Assert.NotNull(resource);
                Assert.Equal(rv, resource.ResourceVersion);
            }

            Assert.Equal(hashBefore, node.Node.StateMachine.State.Hash);
        }
    }

    [Fact]
    public async Task SnapshotThresholdCrossed_LogCompactedAndStateRestoredFromSnapshot()
    {
        var node = await SingleNodeStore.StartAsync(snapshotThresholdBytes: 4096);
        for (var i = 0; i < 60; i++)
        {
            (await node.Store.WriteAsync(SingleNodeStore.Put($"w{i % 10}", $$"""{"n":{{i}},"pad":"{{new string('x', 200)}}"}"""), CancellationToken.None)).EnsureSuccess();
        }

        var before = node.Node.StateMachine.State;
        var snapshots = Directory.GetFiles(Path.Combine(node.Directory, "snapshots"), "*", SearchOption.AllDirectories);
        Assert.True(snapshots.Length > 0, $"expected a snapshot file after {60} writes of ~300 bytes with a 4 KiB threshold; found none in {node.Directory}");

        node = await node.RestartAsync();
        await using (node)
        {
            await node.Store.ReadViewAsync(ReadConsistency.Linearizable, CancellationToken.None);
            var after = node.Node.StateMachine.State;
            Assert.Equal(before.Hash, after.Hash);
            Assert.Equal(before.ObjectCount, after.ObjectCount);
            Assert.Equal(before.AppliedIndex, after.AppliedIndex);
        }
    }

    [Fact]
    public async Task RetriedRequestId_AcrossRestart_AppliedOnce()
    {
        var node = await SingleNodeStore.StartAsync();
        var first = (await node.Store.WriteAsync(SingleNodeStore.Put("once", """{"v":1}""", requestId: "req-1"), CancellationToken.None)).EnsureSuccess();
        node = await node.RestartAsync();
        await using (node)
        {
            var retry = await node.Store.WriteAsync(SingleNodeStore.Put("once", """{"v":2}""", requestId: "req-1"), CancellationToken.None);
            Assert.True(retry.Replayed);
            Assert.Equal(first.ResourceVersion, retry.ResourceVersion);
            Assert.Equal(WriteOutcome.Created, retry.Outcome);
            var (stored, _) = await node.Store.GetAsync(ResourceKey.Create("example.com/v1", "Widget", "default", "once"), ReadConsistency.Linearizable, CancellationToken.None);
            Assert.Equal(first.ResourceVersion, stored!.ResourceVersion);
            Assert.Contains("\"v\":1", System.Text.Encoding.UTF8.GetString(stored.Json), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadNotOlderThan_FutureVersion_FailsUnavailableWithinDeadline()
    {
        await using var node = await SingleNodeStore.StartAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<Core.Errors.ControlPlaneException>(async () =>
            await node.Store.ReadViewAsync(ReadConsistency.NotOlderThan(1_000_000), deadline.Token));
        Assert.Equal(Core.Errors.ErrorCode.Unavailable, e.Code);
        Assert.Contains("1000000", e.Message, StringComparison.Ordinal);
    }
}
