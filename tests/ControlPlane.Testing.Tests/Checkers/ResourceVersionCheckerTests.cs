using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class ResourceVersionCheckerTests
{
    private static CheckResult Check(HistoryBuilder builder) => ResourceVersionChecker.Check(builder.Build());

    [Fact]
    public void IncreasingVersions_AcrossKeys_AndConcurrentWritesInAnyOrder_Pass()
    {
        var result = Check(new HistoryBuilder()
            .Write(1, "a", "1", 0, 10, rv: 5)
            .Write(2, "b", "2", 20, 40, rv: 8)
            .Write(3, "a", "3", 25, 45, rv: 7)
            .Read(1, "a", 50, 60, "3", rv: 7)
            .Read(2, "b", 50, 60, "2", rv: 8));
        Assert.True(result.Ok, result.Explanation);
    }

    [Fact]
    public void SameResourceVersion_ForTwoWritesOfDifferentKeys_IsReported()
    {
        var result = Check(new HistoryBuilder().Write(1, "a", "1", 0, 10, rv: 5).Write(2, "b", "2", 0, 10, rv: 5));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("rv=5 was returned to more than one acknowledged write: op 1", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourceVersionGoingBackwards_InRealTime_AcrossKeys_IsReported()
    {
        // Per-key linearizability cannot see this: each key alone is fine.
        var history = new HistoryBuilder().Write(1, "a", "1", 0, 10, rv: 7).Write(2, "b", "2", 20, 30, rv: 6);
        Assert.True(LinearizabilityChecker.Check(history.Build()).Ok);
        var result = Check(history);
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("went backwards in real time: op 2", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOlderThanACompletedWrite_IsAStaleRead()
    {
        var result = Check(new HistoryBuilder()
            .Write(1, "k", "old", 0, 5, rv: 5)
            .Write(1, "k", "new", 6, 10, rv: 7)
            .Read(2, "k", 20, 30, "old", rv: 5));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("stale read: op 3", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("after op 2", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConcurrentWithTheWrite_MaySeeTheOlderVersion()
    {
        var result = Check(new HistoryBuilder()
            .Write(1, "k", "old", 0, 5, rv: 5)
            .Write(1, "k", "new", 6, 30, rv: 7)
            .Read(2, "k", 20, 40, "old", rv: 5));
        Assert.True(result.Ok, result.Explanation);
    }

    [Fact]
    public void PresentRead_AtTheVersionOfACompletedDelete_IsStale()
    {
        var result = Check(new HistoryBuilder().Delete(1, "k", 0, 10, rv: 9).Read(2, "k", 20, 30, "x", rv: 9));
        Assert.Equal(CheckStatus.Violation, result.Status);
    }

    [Fact]
    public void ClientReadingAnOlderVersionThanItSaw_IsReported()
    {
        var result = Check(new HistoryBuilder().Read(1, "k", 0, 10, "b", rv: 7).Read(1, "k", 20, 30, "a", rv: 6));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("client 1 went back in time: op 2", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientReadingBelowItsOwnWrite_IsReported()
    {
        var result = Check(new HistoryBuilder().Write(1, "k", "b", 0, 10, rv: 7).Read(1, "k", 20, 30, "a", rv: 6));
        Assert.Equal(CheckStatus.Violation, result.Status);
    }
}
