using ControlPlane.Contracts.V1;
using ControlPlane.MembershipTests.Infrastructure;
using ControlPlane.Testing;

namespace ControlPlane.MembershipTests;

/// <summary>cluster status health per member: lag in entries behind the leader's commit index, and last contact.</summary>
public sealed class ClusterHealthTests
{
    [Fact]
    public async Task ClusterStatus_ReportsLagAndLastContact_AStoppedMembersContactAgesAndItsLagIsUnknown()
    {
        await using var cluster = await Clusters.StartAsync(nodes: 3, name: "health");
        try
        {
            var leader = await cluster.WaitForLeaderAsync(Clusters.Wait);
            var follower = Enumerable.Range(0, 3).First(i => i != leader);
            var asker = Enumerable.Range(0, 3).First(i => i != leader && i != follower);
            for (var i = 0; i < 10; i++) await Widgets.PutAsync(cluster.CreateResourceClient(leader), $"w{i}", i);

            // All up: every member has a lag (the leader's commit index minus its applied index, from one answer) and a
            // recent contact; once the writes are applied everywhere, every lag is 0.
            await Clusters.WaitAsync("every member reachable, with lag 0 and a contact under 2 s", Clusters.Wait, async () =>
            {
                var status = await StatusAsync(cluster, asker);

                // Sampled again, not failed, while no leader answers (an election, a slow probe).
                if (status.Members.FirstOrDefault(m => m.IsLeader && m.Status is not null) is not { } leaderMember) return (false, Describe(status));
                var leaderCommit = leaderMember.Status.CommitIndex;
                var lagsAsComputed = status.Members.Where(m => m.Reachable)
                    .All(m => m.HasLagEntries && m.Status is not null && m.LagEntries == Math.Max(0, leaderCommit - m.Status.AppliedIndex));
                return (lagsAsComputed && status.Members.All(m => m.Reachable && m.LagEntries == 0 && m.HasLastContactMs && m.LastContactMs < 2000), Describe(status));
            });

            // A stopped member: unreachable, its lag unknown, its last contact the age of its last answer, growing.
            await cluster.StopAsync(follower);
            for (var i = 0; i < 10; i++) await Widgets.PutAsync(cluster.CreateResourceClient(leader), $"x{i}", i);
            var first = Find(await StatusAsync(cluster, asker), cluster.RaftEndpoint(follower));
            Assert.False(first.Reachable);
            Assert.False(first.HasLagEntries, $"a stopped member's lag is unknown: {first}");
            Assert.True(first.HasLastContactMs, $"the asker remembers when the stopped member last answered: {first}");
            await Clusters.WaitAsync("the stopped member's last contact to grow", Clusters.Wait, async () =>
            {
                var later = Find(await StatusAsync(cluster, asker), cluster.RaftEndpoint(follower));
                return (later.LastContactMs > first.LastContactMs + 500, $"first {first.LastContactMs} ms, now {later.LastContactMs} ms");
            });

            // Back: it catches up and its lag returns to 0.
            await cluster.RestartAsync(follower);
            await Clusters.WaitAsync("the restarted member reachable with lag 0", Clusters.Wait, async () =>
            {
                var back = Find(await StatusAsync(cluster, asker), cluster.RaftEndpoint(follower));
                return (back.Reachable && back.HasLagEntries && back.LagEntries == 0 && back.LastContactMs < 2000, back.ToString());
            });
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
    }

    private static Task<GetClusterStatusResponse> StatusAsync(ProcessCluster cluster, int index) =>
        cluster.CreateClusterClient(index).GetClusterStatusAsync(new GetClusterStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync;

    private static MemberStatus Find(GetClusterStatusResponse status, string raftEndpoint) => status.Members.Single(m => m.RaftEndpoint == raftEndpoint);

    private static string Describe(GetClusterStatusResponse status) =>
        string.Join("; ", status.Members.Select(m => $"{m.Name} reachable={m.Reachable} lag={(m.HasLagEntries ? m.LagEntries : "?")} contact={(m.HasLastContactMs ? m.LastContactMs : "?")}ms"));
}
