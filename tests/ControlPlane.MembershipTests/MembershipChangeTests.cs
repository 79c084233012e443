using System.Collections.Immutable;
using ControlPlane.Contracts.V1;
using ControlPlane.MembershipTests.Infrastructure;
using Grpc.Core;

namespace ControlPlane.MembershipTests;

public sealed class MembershipChangeTests
{
    private static readonly TimeSpan ElectionWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GrowThreeToFiveUnderWrites_ThenShrinkToThreeRemovingALeader_NoAcknowledgedWriteLost()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var members = ImmutableList.CreateRange(cluster.Nodes);
        var load = new WriteLoad(() => Volatile.Read(ref members));
        try
        {
            await load.WaitForProgressAsync(5, ElectionWait);

            // Grow: each new node starts empty with no initial members and is added through some member.
            foreach (var expected in new[] { 4, 5 })
            {
                var joining = await cluster.StartJoiningNodeAsync();
                var added = await Admin.AddAsync(members[expected % members.Count], joining);
                Assert.False(added.AlreadyMember);
                Assert.Equal(expected, added.Members.Count);
                Assert.Contains(added.Members, m => m.Name == joining.Name && m.RaftEndpoint == joining.RaftEndpoint && m.GrpcEndpoint == joining.GrpcEndpoint);
                Assert.True(added.Progress.MemberAppliedIndex >= 0, $"the response reports the new member's progress: {added.Progress}");
                Volatile.Write(ref members, members.Add(joining));
                await load.WaitForProgressAsync(5, ElectionWait);
            }

            // Every member, the newest included, knows every member's name and gRPC endpoint.
            var status = await cluster["node5"].Cluster.GetClusterStatusAsync(new GetClusterStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
            Assert.Equal("node1,node2,node3,node4,node5", string.Join(",", status.Members.Select(m => m.Name).Order(StringComparer.Ordinal)));
            Assert.All(status.Members, m => Assert.Equal(cluster[m.Name].GrpcEndpoint, m.GrpcEndpoint));

            // Shrink: remove an original follower by name, then the leader by endpoint through another member.
            var leader = await cluster.WaitForLeaderAsync(members, ElectionWait);
            var follower = members.First(n => n != leader && n.Name is "node1" or "node2" or "node3");
            var removed = await Admin.RemoveByNameAsync(members.First(n => n != follower), follower.Name);
            Assert.False(removed.AlreadyRemoved);
            Assert.True(removed.RemovedNodeNotified, "the removed follower acknowledged that it was removed");
            Assert.Equal(4, removed.Members.Count);
            Volatile.Write(ref members, members.Remove(follower));
            await load.WaitForProgressAsync(5, ElectionWait);

            var removedLeader = await Admin.RemoveAsync(members.First(n => n != leader), leader);
            Assert.Equal(3, removedLeader.Members.Count);
            Assert.DoesNotContain(removedLeader.Members, m => m.RaftEndpoint == leader.RaftEndpoint);
            Volatile.Write(ref members, members.Remove(leader));
            var newLeader = await cluster.WaitForLeaderAsync(members, ElectionWait);
            Assert.NotEqual(leader, newLeader);
            await load.WaitForProgressAsync(5, ElectionWait);
            await load.StopAsync();

            // No acknowledged write is lost: each reads back, linearizably, at the resourceVersion it was acknowledged with.
            Assert.True(load.Acknowledged.Count >= 25, $"the load made progress throughout ({load.Acknowledged.Count} acknowledged)");
            var turn = 0;
            foreach (var (name, resourceVersion) in load.Acknowledged)
            {
                var read = await Widgets.GetAsync(members[turn++ % members.Count], name);
                Assert.True(read is not null, $"acknowledged write {name}@{resourceVersion} is missing");
                Assert.Equal(resourceVersion, read.Value.ResourceVersion);
            }

            // The three remaining members converge on one state.
            await Eventually.WaitAsync("the remaining members at one applied index and state hash", ElectionWait, async () =>
            {
                var hashes = await Task.WhenAll(members.Select(async n => (await n.Cluster.GetNodeStatusAsync(new GetNodeStatusRequest())).StateHash));
                return (hashes.Distinct().Count() == 1, 0, string.Join(" ", hashes));
            });

            // Removed nodes refuse client traffic, and one cannot come back on its old data.
            foreach (var gone in new[] { follower, leader })
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => Widgets.GetAsync(gone, "load-0"));
                Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
                Assert.Contains("removed from the cluster", refused.Status.Detail, StringComparison.Ordinal);
            }

            await leader.KillAsync();
            leader.Start();
            var exit = await leader.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exit == 3, $"a removed member restarted on its old data exits 3, got {exit?.ToString() ?? "still running"}:{Environment.NewLine}{leader.LogTail()}");
            Assert.Contains("cannot rejoin with its old data", leader.LogTail(), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}{cluster.Logs()}", e);
        }
        finally
        {
            await load.DisposeAsync();
        }
    }

    [Fact]
    public async Task RefusedChanges_NeverStartedMember_ConcurrentChange_QuorumLoss_LeaveTheConfigurationUnchanged()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        try
        {
            await RefuseNeverStartedMemberAndConcurrentChangeAsync(cluster);
            await RefuseQuorumLossThenRemoveDeadMemberAsync(cluster);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}{cluster.Logs()}", e);
        }
    }

    private static async Task RefuseNeverStartedMemberAndConcurrentChangeAsync(TestCluster cluster)
    {
        var before = await Admin.ListAsync(cluster.Nodes[0]);
        Assert.Equal("node1,node2,node3", Admin.Names(before.Members));

        // node4 gets ports and a config but is never started.
        var ghost = cluster.NewNode();
        var started = DateTime.UtcNow;
        var add = Admin.AddAsync(cluster.Nodes[1], ghost, requestId: "ghost-add", catchUpTimeoutMs: 5000);

        // While it runs, a second change is refused and the refusal names the change in progress.
        await Eventually.WaitAsync("the leader running the add to report it in progress", TimeSpan.FromSeconds(15), async () =>
        {
            var lists = await Task.WhenAll(cluster.Nodes.Take(3).Select(n => Admin.ListAsync(n, local: true)));
            var running = lists.FirstOrDefault(l => l.ChangeInProgress.Length > 0);
            return (running?.ChangeInProgress.Contains("add node4", StringComparison.Ordinal) == true, 0, string.Join("; ", lists.Select(l => $"{l.AnsweredBy}: \"{l.ChangeInProgress}\"")));
        });
        var concurrent = await Assert.ThrowsAsync<RpcException>(() => Admin.RemoveByNameAsync(cluster.Nodes[2], "node3"));
        Assert.Equal(StatusCode.FailedPrecondition, concurrent.StatusCode);
        Assert.Contains("add node4", concurrent.Status.Detail, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<RpcException>(() => add);
        var took = DateTime.UtcNow - started;
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("did not catch up", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("configuration is unchanged", refused.Status.Detail, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(25), $"refused soon after its 5 s catch-up deadline, took {took}");

        var after = await Admin.ListAsync(cluster.Nodes[2]);
        Assert.Equal("node1,node2,node3", Admin.Names(after.Members));
        Assert.Equal(before.ConfigurationIndex, after.ConfigurationIndex);

        // A retry with the same request id answers the original refusal; the cluster still takes writes.
        var retried = await Assert.ThrowsAsync<RpcException>(() => Admin.AddAsync(cluster.Nodes[0], ghost, requestId: "ghost-add", catchUpTimeoutMs: 5000));
        Assert.Equal(refused.Status.Detail, retried.Status.Detail);
        await Widgets.PutAsync(cluster.Nodes[0], "after-refusal", 1);

        // Adding an existing member with the same endpoints is a no-op success.
        var again = await Admin.AddAsync(cluster.Nodes[0], cluster.Nodes[2]);
        Assert.True(again.AlreadyMember);
        Assert.Equal(before.ConfigurationIndex, again.ConfigurationIndex);
    }

    private static async Task RefuseQuorumLossThenRemoveDeadMemberAsync(TestCluster cluster)
    {
        var members = cluster.Nodes.Take(3).ToList();
        var leader = await cluster.WaitForLeaderAsync(members, ElectionWait);
        var followers = members.Where(n => n != leader).ToList();
        var dead = followers[0];
        var alive = followers[1];
        await dead.KillAsync();
        var before = await Admin.ListAsync(leader);

        // Removing the live follower would leave {leader, dead}: a quorum of 2 with 1 answering.
        var unsafeRemoval = await Assert.ThrowsAsync<RpcException>(() => Admin.RemoveAsync(alive, alive));
        Assert.Equal(StatusCode.FailedPrecondition, unsafeRemoval.StatusCode);
        Assert.Contains("need 2 for a quorum, but only 1 answer", unsafeRemoval.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(dead.Name, unsafeRemoval.Status.Detail, StringComparison.Ordinal);
        var unchanged = await Admin.ListAsync(leader);
        Assert.Equal(before.ConfigurationIndex, unchanged.ConfigurationIndex);
        Assert.Equal(3, unchanged.Members.Count);

        // Removing the dead member leaves {leader, alive}, both answering: allowed, though it cannot be told.
        var removed = await Admin.RemoveByNameAsync(alive, dead.Name, requestId: "remove-dead");
        Assert.False(removed.RemovedNodeNotified);
        Assert.Equal(2, removed.Members.Count);
        Assert.False(removed.Replayed);

        var retry = await Admin.RemoveByNameAsync(leader, dead.Name, requestId: "remove-dead");
        Assert.True(retry.Replayed, "a retry with the same request id answers the original outcome");
        Assert.Equal(removed.ConfigurationIndex, retry.ConfigurationIndex);

        // Without the request table (a new request id) the configuration still answers: already removed.
        var again = await Admin.RemoveByNameAsync(leader, dead.Name);
        Assert.True(again.AlreadyRemoved);

        // Two members stay writable; the dead one, restarted on its old data, finds out it was removed.
        await Widgets.PutAsync(alive, "two-members", 2);
        dead.Start();
        await Eventually.WaitAsync("the restarted removed member to find out it was removed", TestCluster.StartTimeout, async () =>
        {
            var s = await dead.Cluster.GetNodeStatusAsync(new GetNodeStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
            return (s.Removed, 0, $"removed={s.Removed} role={s.Role}");
        });
        var refused = await Assert.ThrowsAsync<RpcException>(() => Widgets.GetAsync(dead, "two-members"));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
    }
}
