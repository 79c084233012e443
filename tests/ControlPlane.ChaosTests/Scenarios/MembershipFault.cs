using ControlPlane.ChaosTests.Infrastructure;
using ControlPlane.Client;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// A membership change as a <see cref="FaultScenario"/> fault: through the SDK's admin calls, the standby node4 is
/// added (it catches up, then votes) and then one original member is removed. Asserts that both changes took effect
/// and records them in the cluster's <see cref="ContainerCluster.Voters"/>, so the checks look at the new members.
/// </summary>
public static class MembershipFault
{
    public const string Joiner = "node4";
    private static readonly TimeSpan _catchUp = TimeSpan.FromSeconds(60);

    /// <summary>The fault; <paramref name="pickRemoved"/> chooses the member to remove, given the leader and the followers.</summary>
    public static FaultScenario.Injector AddThenRemove(ContainerCluster cluster, ChaosRun run, Func<string, IReadOnlyList<string>, string> pickRemoved) =>
        async leader =>
        {
            var followers = cluster.Voters.Where(n => n != leader).ToList();
            var removed = pickRemoved(leader, followers);
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
            run.Record($"removed {removed}{(removed == leader ? " (the leader)" : string.Empty)}: {Describe(removal)}");
            return () => Task.CompletedTask;
        };

    private static string Describe(MemberChange change) =>
        $"configuration index {change.ConfigurationIndex}, members {string.Join(", ", change.Members.Select(m => m.Name))}";
}
