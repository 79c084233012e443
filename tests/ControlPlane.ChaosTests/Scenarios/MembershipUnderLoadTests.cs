using ControlPlane.ChaosTests.Infrastructure;
using ControlPlane.Client;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// P9 under load: while the register workload runs, node4 is added (it catches up, then votes) and an original
/// follower is removed; the history still passes P1, P2, P3/P7 and the remaining members converge (P10). Needs
/// scripts/chaos-setup.sh (node image).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class MembershipUnderLoadTests(FourNodeCluster cluster, ITestOutputHelper output) : IClassFixture<FourNodeCluster>
{
    private const string Joiner = "node4";
    private static readonly TimeSpan _catchUp = TimeSpan.FromSeconds(60);

    [Fact]
    public Task FourthMemberAdded_ThenFollowerRemoved_UnderLoad_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "add node4, then remove a follower", TimeSpan.FromSeconds(2), async leader =>
        {
            var followers = cluster.Voters.Where(n => n != leader).ToList();
            var removed = followers[run.Random.Next(followers.Count)];
            var options = new ControlPlaneClientOptions { CallTimeout = _catchUp + TimeSpan.FromSeconds(30), AttemptTimeout = _catchUp + TimeSpan.FromSeconds(20) };
            options.Endpoints.Add(cluster.GrpcUri(leader).ToString());
            foreach (var follower in followers) options.Endpoints.Add(cluster.GrpcUri(follower).ToString());
            await using var admin = new ControlPlaneClient(options);

            var ip = cluster[Joiner].Ip;
            var added = await admin.AddMemberAsync(Joiner, $"{ip}:{ContainerCluster.RaftPort}", $"http://{ip}:{ContainerCluster.GrpcPort}", _catchUp);
            Assert.True(!added.NothingChanged && added.Members.Any(m => m.Name == Joiner), $"adding {Joiner} changed nothing: {Describe(added)}");
            cluster.SetVoters([.. cluster.Voters, Joiner]);
            run.Record($"added {Joiner}: {Describe(added)}");

            var removal = await admin.RemoveMemberAsync(removed);
            Assert.True(!removal.NothingChanged && removal.Members.All(m => m.Name != removed), $"removing {removed} changed nothing: {Describe(removal)}");
            cluster.SetVoters(cluster.Voters.Where(n => n != removed));
            run.Record($"removed {removed}: {Describe(removal)}");
            return () => Task.CompletedTask;
        }));

    private static string Describe(MemberChange change) =>
        $"configuration index {change.ConfigurationIndex}, members {string.Join(", ", change.Members.Select(m => m.Name))}";
}
