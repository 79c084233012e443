using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// A follower cut off long enough that the leader compacts away the entries it misses: on return it must install
/// a snapshot, and the history and replicas must still check out. Needs scripts/chaos-setup.sh (node image).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class SnapshotInstallTests(SmallSnapshotCluster cluster, ITestOutputHelper output) : IClassFixture<SmallSnapshotCluster>
{
    private const string RestoredLine = "Restored state from snapshot";

    [Fact]
    public Task FollowerIsolatedPastCompaction_InstallsSnapshotOnReturn_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, async run =>
        {
            string? follower = null;
            var restoresBefore = 0;
            await FaultScenario.RunAsync(cluster, run, output, "isolate follower past log compaction", TimeSpan.FromSeconds(10), async leader =>
            {
                var followers = cluster.NodeNames.Where(n => n != leader).ToList();
                follower = followers[run.Random.Next(followers.Count)];
                restoresBefore = await CountRestoresAsync(follower);
                await cluster.IsolateAsync(follower);
                return () => cluster.HealAsync(follower);
            });

            var restores = await CountRestoresAsync(follower!);
            run.Record($"{follower} logged '{RestoredLine}' {restores} times ({restoresBefore} before the fault)");
            Assert.True(restores > restoresBefore,
                $"{follower} was isolated for 10 s with snapshots every {SmallSnapshotCluster.SnapshotThresholdBytes} bytes, "
                + $"yet it never logged '{RestoredLine}' after the fault ({restores} in all): the scenario did not exercise snapshot installation.");
        });

    private async Task<int> CountRestoresAsync(string node)
    {
        var (stdout, stderr) = await cluster[node].Container.GetLogsAsync();
        return (stdout + stderr).Split('\n').Count(line => line.Contains(RestoredLine, StringComparison.Ordinal));
    }
}
