using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class ConvergenceCheckerTests
{
    [Fact]
    public void SameHash_AtEveryIndexReachedByMoreThanOneNode_Passes()
    {
        var result = ConvergenceChecker.Check(
        [
            new ReplicaSample("node1", 120, "aa"), new ReplicaSample("node2", 118, "bb"), new ReplicaSample("node3", 120, "aa"),
            new ReplicaSample("node2", 120, "aa"),
        ], requireSameIndex: true);
        Assert.True(result.Ok, result.Explanation);
    }

    [Fact]
    public void DifferentHashes_AtOneIndex_AreReportedByNode()
    {
        var result = ConvergenceChecker.Check(
        [
            new ReplicaSample("node1", 120, "aa"), new ReplicaSample("node2", 120, "bb"), new ReplicaSample("node3", 120, "aa"),
        ]);
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("replicas diverged at applied index 120: hash 'aa' from node1, node3; hash 'bb' from node2", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void NodesStuckAtDifferentIndexes_FailOnlyWhenCatchingUpIsRequired()
    {
        ReplicaSample[] samples = [new("node1", 120, "aa"), new("node2", 118, "bb")];
        Assert.True(ConvergenceChecker.Check(samples).Ok);
        var result = ConvergenceChecker.Check(samples, requireSameIndex: true);
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("node1 at 120, node2 at 118", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSamples_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ConvergenceChecker.Check([]));
}
