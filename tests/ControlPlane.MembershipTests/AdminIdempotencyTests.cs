using ControlPlane.Contracts.V1;
using ControlPlane.MembershipTests.Infrastructure;
using Grpc.Core;

namespace ControlPlane.MembershipTests;

/// <summary>Membership request ids are remembered in the replicated store, so a retry after a leader change is not run again.</summary>
public sealed class AdminIdempotencyTests
{
    [Fact]
    public async Task AddRetriedAfterLeaderChange_IsAnsweredFromTheReplicatedRecord_NotRunAgain()
    {
        await using var cluster = await Clusters.StartAsync(nodes: 3, joining: 1, name: "admin-idempotency");
        try
        {
            // node3 is added (request id "add-node3"), then removed by another request.
            await cluster.RestartAsync(3);
            var added = await Admin.AddAsync(cluster, via: 0, member: 3, requestId: "add-node3");
            Assert.False(added.AlreadyMember);
            Assert.False(added.Replayed);
            var removed = await Admin.RemoveAsync(cluster, via: 0, member: 3, requestId: "remove-node3");
            Assert.Equal(3, removed.Members.Count);

            // The leader that ran both goes away; its in-memory request table with it. node3, removed, names no leader.
            var leader = await cluster.WaitForLeaderAsync(Clusters.Wait, excluding: [3]);
            await cluster.StopAsync(leader);
            var via = Enumerable.Range(0, 3).First(i => i != leader);
            var newLeader = await cluster.WaitForLeaderAsync(Clusters.Wait, excluding: [leader, 3]);
            Assert.NotEqual(leader, newLeader);

            // The retry of the add is answered as already done: node3 is not added back (answering from the
            // configuration would try to add it again and be refused, since node3 now holds a removed member's data).
            var retried = await Admin.AddAsync(cluster, via, member: 3, requestId: "add-node3");
            Assert.True(retried.Replayed, $"the retry is a replay: {retried}");
            Assert.Equal(cluster.RaftEndpoint(3), retried.Member.RaftEndpoint);
            Assert.Equal("node0,node1,node2", Admin.Names(retried.Members));
            Assert.Equal("node0,node1,node2", Admin.Names((await Admin.ListAsync(cluster, via)).Members));

            // The new leader also knows which change the request id named: reusing it for another is refused.
            var reused = await Assert.ThrowsAsync<RpcException>(() => Admin.RemoveByNameAsync(cluster, via, "node3", requestId: "add-node3"));
            Assert.Equal(StatusCode.InvalidArgument, reused.StatusCode);
            Assert.Contains("was already used for another membership change (add node3", reused.Status.Detail, StringComparison.Ordinal);

            // And the removal's retry is a replay too.
            var removedAgain = await Admin.RemoveAsync(cluster, via, member: 3, requestId: "remove-node3");
            Assert.True(removedAgain.Replayed, $"the removal's retry is a replay: {removedAgain}");
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
    }
}
