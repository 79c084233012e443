using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// One fault each, under a concurrent register workload through the SDK, judged by the history checkers
/// (P1, P2, P3/P7, P10; P11 printed). The scenarios share one cluster and each leaves it whole. Needs
/// scripts/chaos-setup.sh (node image).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class FaultScenarioTests(ContainerCluster cluster, ITestOutputHelper output) : IClassFixture<ContainerCluster>
{
    private static readonly TimeSpan _hold = TimeSpan.FromSeconds(6);

    [Fact]
    public Task LeaderKilled_ThenRestarted_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "SIGKILL leader", _hold, async leader =>
        {
            await cluster.KillAsync(leader);
            return () => cluster.StartAsync(leader);
        }));

    [Fact]
    public Task FollowerKilled_ThenRestarted_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "SIGKILL follower", _hold, async leader =>
        {
            var follower = Follower(run, leader);
            await cluster.KillAsync(follower);
            return () => cluster.StartAsync(follower);
        }));

    [Fact]
    public Task LeaderPaused_ThenUnpaused_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "pause leader", _hold, async leader =>
        {
            await cluster.PauseAsync(leader);
            return () => cluster.UnpauseAsync(leader);
        }));

    [Fact]
    public Task LeaderIsolated_ThenHealed_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "isolate leader", _hold, async leader =>
        {
            await cluster.IsolateAsync(leader);
            return () => cluster.HealAsync(leader);
        }));

    [Fact]
    public Task WholeClusterKilled_ThenRestarted_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "kill all, start all", TimeSpan.Zero, async _ =>
        {
            await cluster.RestartAllAsync(kill: true);
            return () => Task.CompletedTask;
        }));

    [Fact]
    public Task PacketLossOnEveryNode_ThenHealed_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "20% packet loss on every node", _hold, async _ =>
        {
            foreach (var node in cluster.NodeNames) await cluster.SetPacketLossAsync(node, 0.2);
            return () => cluster.HealAllAsync();
        }));

    private string Follower(ChaosRun run, string leader)
    {
        var followers = cluster.NodeNames.Where(n => n != leader).ToList();
        return followers[run.Random.Next(followers.Count)];
    }
}
