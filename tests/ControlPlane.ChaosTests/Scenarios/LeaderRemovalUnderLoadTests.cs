using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// P9 under load, the harder case: node4 is added, then the leader itself is removed (it commits the new
/// configuration, steps down and the others elect a leader); the history still passes P1, P2, P3/P7 and the remaining
/// members converge (P10). Its own cluster, so it does not depend on the other membership scenario's changes.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class LeaderRemovalUnderLoadTests(FourNodeCluster cluster, ITestOutputHelper output) : IClassFixture<FourNodeCluster>
{
    [Fact]
    public Task FourthMemberAdded_ThenLeaderRemoved_UnderLoad_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "add node4, then remove the leader", TimeSpan.FromSeconds(2),
            MembershipFault.AddThenRemove(cluster, run, (leader, _) => leader)));
}
