using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// P9 under load: while the register workload runs, node4 is added and an original follower is removed; the history
/// still passes P1, P2, P3/P7 and the remaining members converge (P10). Needs scripts/chaos-setup.sh (node image).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class MembershipUnderLoadTests(FourNodeCluster cluster, ITestOutputHelper output) : IClassFixture<FourNodeCluster>
{
    [Fact]
    public Task FourthMemberAdded_ThenFollowerRemoved_UnderLoad_HistoryStaysLinearizable() =>
        ChaosRun.ExecuteAsync(cluster, output, run => FaultScenario.RunAsync(cluster, run, output, "add node4, then remove a follower", TimeSpan.FromSeconds(2),
            MembershipFault.AddThenRemove(cluster, run, (_, followers) => followers[run.Random.Next(followers.Count)])));
}
