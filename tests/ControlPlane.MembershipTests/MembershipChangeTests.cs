using System.Collections.Immutable;
using ControlPlane.Contracts.V1;
using ControlPlane.MembershipTests.Infrastructure;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.MembershipTests;

public sealed class MembershipChangeTests
{
    [Fact]
    public async Task GrowThreeToFiveUnderWrites_ThenShrinkToThreeRemovingALeader_NoAcknowledgedWriteLost()
    {
        // node0..node2 start as the cluster; node3 and node4 are configured with no initial members, started later.
        await using var cluster = await Clusters.StartAsync(nodes: 3, joining: 2, name: "grow-shrink");
        var members = ImmutableList.Create(0, 1, 2);
        var load = new WriteLoad(() => [.. Volatile.Read(ref members).Select(cluster.CreateResourceClient)]);
        try
        {
            await load.WaitForProgressAsync(5, Clusters.Wait);

            // Grow: each new node starts empty, stands by, and is added through some member (forwarded to the leader).
            foreach (var joining in new[] { 3, 4 })
            {
                await cluster.RestartAsync(joining);
                var added = await Admin.AddAsync(cluster, via: members[joining % members.Count], joining);
                Assert.False(added.AlreadyMember);
                Assert.Equal(joining + 1, added.Members.Count);
                var node = cluster.Nodes[joining];
                Assert.Contains(added.Members, m => m.Name == node.Name && m.RaftEndpoint == node.RaftEndpoint && m.GrpcEndpoint == node.GrpcEndpoint.GetLeftPart(UriPartial.Authority));
                Assert.True(added.Progress.MemberAppliedIndex >= 0, $"the response reports the new member's progress: {added.Progress}");
                Volatile.Write(ref members, members.Add(joining));
                await load.WaitForProgressAsync(5, Clusters.Wait);
            }

            // Every member, the newest included, comes to know every member's name and gRPC endpoint. The newest one
            // learns the configuration that added it from the log, so right after the add it may still show the
            // four-member one (seen once in a full run: ",node0,node1,node3"): wait for it, bounded.
            GetClusterStatusResponse? status = null;
            await Clusters.WaitAsync("node4 to list all five members by name", Clusters.Wait, async () =>
            {
                status = await cluster.CreateClusterClient(4).GetClusterStatusAsync(new GetClusterStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
                var names = string.Join(",", status.Members.Select(m => m.Name).Order(StringComparer.Ordinal));
                return (names == "node0,node1,node2,node3,node4", names);
            });
            Assert.All(status!.Members, m => Assert.Equal(cluster.GrpcEndpoint(cluster.IndexOf(m.RaftEndpoint)).GetLeftPart(UriPartial.Authority), m.GrpcEndpoint));

            // Shrink: remove an original follower by name, then the leader by endpoint through another member.
            var leader = await cluster.WaitForLeaderAsync(Clusters.Wait);
            var follower = members.First(i => i != leader && i < 3);
            var removed = await Admin.RemoveByNameAsync(cluster, via: members.First(i => i != follower), cluster.Nodes[follower].Name);
            Assert.False(removed.AlreadyRemoved);
            Assert.True(removed.RemovedNodeNotified, "the removed follower acknowledged that it was removed");
            Assert.Equal(4, removed.Members.Count);
            Volatile.Write(ref members, members.Remove(follower));
            await load.WaitForProgressAsync(5, Clusters.Wait);

            var removedLeader = await Admin.RemoveAsync(cluster, via: members.First(i => i != leader), leader, requestId: "remove-the-leader");
            Assert.Equal(3, removedLeader.Members.Count);
            Assert.DoesNotContain(removedLeader.Members, m => m.RaftEndpoint == cluster.RaftEndpoint(leader));
            Volatile.Write(ref members, members.Remove(leader));
            var newLeader = await cluster.WaitForLeaderAsync(Clusters.Wait, excluding: [follower, leader]);
            Assert.NotEqual(leader, newLeader);

            // The leader that removed itself could not record the success: the new leader settles the pending record
            // from the configuration and answers a retry as a replay.
            var retried = await Admin.RemoveAsync(cluster, via: newLeader, leader, requestId: "remove-the-leader");
            Assert.True(retried.Replayed, $"the retry of the leader's removal is a replay: {retried}");
            Assert.Equal(3, retried.Members.Count);
            await load.WaitForProgressAsync(5, Clusters.Wait);
            await load.StopAsync();

            // No acknowledged write is lost: each reads back, linearizably, at the resourceVersion it was acknowledged with.
            Assert.True(load.Acknowledged.Count >= 25, $"the load made progress throughout ({load.Acknowledged.Count} acknowledged)");
            var turn = 0;
            foreach (var (name, resourceVersion) in load.Acknowledged)
            {
                var read = await Widgets.GetAsync(cluster.CreateResourceClient(members[turn++ % members.Count]), name);
                Assert.True(read is not null, $"acknowledged write {name}@{resourceVersion} is missing");
                Assert.Equal(resourceVersion, read.Value.ResourceVersion);
            }

            // The three remaining members converge on one state.
            await Clusters.WaitAsync("the remaining members at one applied index and state hash", Clusters.Wait, async () =>
            {
                var hashes = await Task.WhenAll(members.Select(async i => (await cluster.StatusAsync(i)).StateHash));
                return (hashes.Distinct().Count() == 1, string.Join(" ", hashes));
            });

            // Removed nodes refuse client traffic, and one cannot come back on its old data. A removed node learns of
            // its removal a moment after the others commit it; until then it refuses reads for want of a leader.
            foreach (var gone in new[] { follower, leader })
            {
                await Clusters.WaitAsync($"removed node{gone} to find out it was removed", Clusters.Wait, async () =>
                {
                    var s = await cluster.StatusAsync(gone);
                    return (s.Removed, $"removed={s.Removed} role={s.Role}");
                });
                var refused = await Assert.ThrowsAsync<RpcException>(() => Widgets.GetAsync(cluster.CreateResourceClient(gone), "load-0"));
                Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
                Assert.Contains("removed from the cluster", refused.Status.Detail, StringComparison.Ordinal);
            }

            await cluster.KillAsync(leader);
            var restart = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.RestartAsync(leader));
            Assert.Contains("exited by itself with code 3", restart.Message, StringComparison.Ordinal);
            Assert.Contains("cannot rejoin with its old data", restart.Message, StringComparison.Ordinal);
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
        finally
        {
            await load.DisposeAsync();
        }
    }

    [Fact]
    public async Task RefusedChanges_NeverStartedMember_ConcurrentChange_QuorumLoss_LeaveTheConfigurationUnchanged()
    {
        // node3 is configured but never started.
        await using var cluster = await Clusters.StartAsync(nodes: 3, joining: 1, name: "refusals");
        try
        {
            await RefuseNeverStartedMemberAndConcurrentChangeAsync(cluster);
            await RefuseQuorumLossThenRemoveDeadMemberAsync(cluster);
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
    }

    private static async Task RefuseNeverStartedMemberAndConcurrentChangeAsync(ProcessCluster cluster)
    {
        var before = await Admin.ListAsync(cluster, 0);
        Assert.Equal("node0,node1,node2", Admin.Names(before.Members));

        var started = DateTime.UtcNow;
        // The deadline leaves room for the two calls below to land while the add still runs, on a loaded machine too.
        var add = Admin.AddAsync(cluster, via: 1, member: 3, requestId: "ghost-add", catchUpTimeoutMs: 10_000);

        // While it runs, a second change is refused and the refusal names the change in progress.
        await Clusters.WaitAsync("the leader running the add to report it in progress", TimeSpan.FromSeconds(15), async () =>
        {
            var lists = await Task.WhenAll(new[] { 0, 1, 2 }.Select(i => Admin.ListAsync(cluster, i, local: true)));
            var running = lists.FirstOrDefault(l => l.ChangeInProgress.Length > 0);
            return (running?.ChangeInProgress.Contains("add node3", StringComparison.Ordinal) == true, string.Join("; ", lists.Select(l => $"{l.AnsweredBy}: \"{l.ChangeInProgress}\"")));
        });
        var concurrent = await Assert.ThrowsAsync<RpcException>(() => Admin.RemoveByNameAsync(cluster, via: 2, "node2"));
        Assert.Equal(StatusCode.FailedPrecondition, concurrent.StatusCode);
        Assert.Contains("add node3", concurrent.Status.Detail, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<RpcException>(() => add);
        var took = DateTime.UtcNow - started;
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("did not catch up", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("configuration is unchanged", refused.Status.Detail, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(30), $"refused soon after its 10 s catch-up deadline, took {took}");

        var after = await Admin.ListAsync(cluster, 2);
        Assert.Equal("node0,node1,node2", Admin.Names(after.Members));
        Assert.Equal(before.ConfigurationIndex, after.ConfigurationIndex);

        // A retry with the same request id answers the original refusal; the cluster still takes writes.
        var retried = await Assert.ThrowsAsync<RpcException>(() => Admin.AddAsync(cluster, via: 0, member: 3, requestId: "ghost-add", catchUpTimeoutMs: 10_000));
        Assert.Equal(refused.Status.Detail, retried.Status.Detail);
        await Widgets.PutAsync(cluster.CreateResourceClient(0), "after-refusal", 1);

        // Adding an existing member with the same endpoints is a no-op success.
        var again = await Admin.AddAsync(cluster, via: 0, member: 2);
        Assert.True(again.AlreadyMember);
        Assert.Equal(before.ConfigurationIndex, again.ConfigurationIndex);
    }

    private static async Task RefuseQuorumLossThenRemoveDeadMemberAsync(ProcessCluster cluster)
    {
        var leader = await cluster.WaitForLeaderAsync(Clusters.Wait);
        var followers = new[] { 0, 1, 2 }.Where(i => i != leader).ToList();
        var dead = followers[0];
        var alive = followers[1];
        var deadName = cluster.Nodes[dead].Name;
        await cluster.KillAsync(dead);
        var before = await Admin.ListAsync(cluster, leader);

        // Removing the live follower would leave {leader, dead}: a quorum of 2 with 1 answering.
        var unsafeRemoval = await Assert.ThrowsAsync<RpcException>(() => Admin.RemoveAsync(cluster, via: alive, alive));
        Assert.Equal(StatusCode.FailedPrecondition, unsafeRemoval.StatusCode);
        Assert.Contains("need 2 for a quorum, but only 1 answer", unsafeRemoval.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(deadName, unsafeRemoval.Status.Detail, StringComparison.Ordinal);
        var unchanged = await Admin.ListAsync(cluster, leader);
        Assert.Equal(before.ConfigurationIndex, unchanged.ConfigurationIndex);
        Assert.Equal(3, unchanged.Members.Count);

        // Removing the dead member leaves {leader, alive}, both answering: allowed, though it cannot be told.
        var removed = await Admin.RemoveByNameAsync(cluster, via: alive, deadName, requestId: "remove-dead");
        Assert.False(removed.RemovedNodeNotified);
        Assert.Equal(2, removed.Members.Count);
        Assert.False(removed.Replayed);

        var retry = await Admin.RemoveByNameAsync(cluster, via: leader, deadName, requestId: "remove-dead");
        Assert.True(retry.Replayed, "a retry with the same request id answers the original outcome");
        Assert.Equal(removed.ConfigurationIndex, retry.ConfigurationIndex);

        // Without the request table (a new request id) the configuration still answers: already removed.
        var again = await Admin.RemoveByNameAsync(cluster, via: leader, deadName);
        Assert.True(again.AlreadyRemoved);

        // Two members stay writable; the dead one, restarted on its old data, finds out it was removed.
        await Widgets.PutAsync(cluster.CreateResourceClient(alive), "two-members", 2);
        await cluster.RestartAsync(dead);
        await Clusters.WaitAsync("the restarted removed member to find out it was removed", Clusters.Wait, async () =>
        {
            var s = await cluster.StatusAsync(dead);
            return (s.Removed, $"removed={s.Removed} role={s.Role}");
        });
        var refused = await Assert.ThrowsAsync<RpcException>(() => Widgets.GetAsync(cluster.CreateResourceClient(dead), "two-members"));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }
}
