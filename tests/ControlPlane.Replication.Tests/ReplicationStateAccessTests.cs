using ControlPlane.Testing.InProcess;

namespace ControlPlane.Replication.Tests;

/// <summary>
/// SnapshotCatchUpGuard depends on a private field of DotNext 6.12; these fail on an upgrade that moves it, instead of
/// the guard silently switching itself off.
/// </summary>
public sealed class ReplicationStateAccessTests
{
    [Fact]
    public void IsAvailable_OnThisDotNextVersion() =>
        Assert.True(ReplicationStateAccess.IsAvailable, "DotNext no longer has RaftClusterMember.state.NextIndex: revisit SnapshotCatchUpGuard");

    [Fact]
    public async Task SetNextIndex_IsReadBack_OnARealMember()
    {
        await using var solo = await SingleNodeStore.StartAsync();
        var member = Assert.Single(solo.Node.Members);
        var original = ReplicationStateAccess.GetNextIndex(member);
        ReplicationStateAccess.SetNextIndex(member, original + 41);
        Assert.Equal(original + 41, ReplicationStateAccess.GetNextIndex(member));
        ReplicationStateAccess.SetNextIndex(member, original);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicationStateAccess.SetNextIndex(member, -1));
    }
}
