using System.Diagnostics;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Xunit.Abstractions;
using WriteOptions = ControlPlane.Contracts.V1.WriteOptions;

namespace ControlPlane.IntegrationTests;

/// <summary>Three real node processes on 127.0.0.1: the core promises of the replicated store.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReplicatedStoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WriteSentToFollower_CommittedOnce_ReadableOnEveryNodeWithSameHash()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var follower = Enumerable.Range(0, cluster.Count).First(i => i != leader);
        var client = cluster.CreateResourceClient(follower);

        var created = await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("via-follower"), Options = new WriteOptions { RequestId = "follower-write-1" } });
        Assert.Equal(Outcome.Created, created.Outcome);
        var rv = long.Parse(created.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rv, Objects.Rv(created.Object));

        // The same request id again, through another node: answered, not applied a second time (P8).
        var retried = await cluster.CreateResourceClient(leader).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("via-follower", size: 2), Options = new WriteOptions { RequestId = "follower-write-1" } });
        Assert.Equal(Outcome.Created, retried.Outcome);
        Assert.Equal(created.ResourceVersion, retried.ResourceVersion);

        var statuses = await cluster.WaitForAppliedAsync(rv);
        for (var i = 0; i < cluster.Count; i++)
        {
            var got = await cluster.CreateResourceClient(i).GetResourceAsync(new GetResourceRequest { Ref = Objects.Ref("via-follower"), Read = Objects.Local });
            Assert.Equal(rv, Objects.Rv(got.Object));
            Assert.Equal(1, Objects.Parse(got.Object)["spec"]!["size"]!.GetValue<int>());
            var list = await cluster.CreateResourceClient(i).ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, Read = Objects.Local });
            Assert.Single(list.Items);
        }

        // P10: every replica reports the same state hash at the same index.
        var converged = await cluster.WaitForAppliedAsync(statuses.Max(s => s.AppliedIndex));
        Assert.Single(converged.Select(s => s.StateHash).Distinct());
    }

    [Fact]
    public async Task LeaderKilled_NewLeaderElectedAndWritesResume_NoAcknowledgedWriteLost()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var survivor = Enumerable.Range(0, cluster.Count).First(i => i != leader);
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 10; i++)
        {
            var r = await cluster.CreateResourceClient(survivor).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"before-{i}") });
            acknowledged[$"before-{i}"] = r.ResourceVersion;
        }

        var killedAt = Stopwatch.StartNew();
        await cluster.KillAsync(leader);
        var newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), excluding: [leader]);
        var electedAfter = killedAt.Elapsed;

        // Writes resume through any surviving node (the SDK-free client retries only UNAVAILABLE here).
        var client = cluster.CreateResourceClient(survivor);
        var after = await ProcessCluster.UntilServedAsync(
            () => client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("after-failover"), Options = new WriteOptions { RequestId = "after-failover" } }, deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync,
            "a write through a surviving node to succeed after the leader was killed");
        var writableAfter = killedAt.Elapsed;
        output.WriteLine($"leader node{leader + 1} killed: new leader node{newLeader + 1} after {electedAfter.TotalMilliseconds:0} ms, first write after {writableAfter.TotalMilliseconds:0} ms");
        Assert.Equal(Outcome.Created, after.Outcome);

        foreach (var (name, rv) in acknowledged)
        {
            var got = await cluster.GetLinearizableAsync(newLeader, Objects.Ref(name));
            Assert.Equal(rv, Objects.Rv(got.Object).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task AllNodesStoppedAndStarted_EveryAcknowledgedWriteKeepsItsResourceVersion()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        await cluster.WaitForLeaderAsync();
        var acknowledged = new Dictionary<string, string>();
        var writes = Enumerable.Range(0, 30).Select(async i =>
        {
            var r = await cluster.CreateResourceClient(i % cluster.Count).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"durable-{i}", size: i) });
            lock (acknowledged) acknowledged[$"durable-{i}"] = r.ResourceVersion;
        });
        await Task.WhenAll(writes);

        // Two nodes stop gracefully, the last one is killed: both paths must keep acknowledged writes.
        await cluster.StopAsync(0);
        await cluster.StopAsync(1);
        await cluster.KillAsync(2);
        for (var i = 0; i < cluster.Count; i++) await cluster.RestartAsync(i);
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));

        foreach (var (name, rv) in acknowledged)
        {
            var got = await cluster.GetLinearizableAsync(leader, Objects.Ref(name));
            Assert.Equal(rv, Objects.Rv(got.Object).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // And the cluster still takes writes, with a resourceVersion above every earlier one (P3).
        var next = await cluster.CreateResourceClient(leader).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("after-restart") });
        Assert.True(long.Parse(next.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > acknowledged.Values.Max(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
