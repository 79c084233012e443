using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class LostWriteCheckerTests
{
    private static Dictionary<string, VersionedValue> Final(params (string Key, string Value, long Rv)[] entries) =>
        entries.ToDictionary(e => e.Key, e => new VersionedValue(e.Value, e.Rv), StringComparer.Ordinal);

    [Fact]
    public void LastWrite_IsTheFinalValue_AndEarlierWritesWereOverwritten()
    {
        var history = new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .Write(2, "k", "b", 20, 30, rv: 6)
            .Build();
        var result = LostWriteChecker.Check(history, Final(("k", "b", 6)));
        Assert.True(result.Ok, result.Explanation);
    }

    [Fact]
    public void DeletedKey_IsAbsentFromTheFinalState()
    {
        var history = new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 5).Delete(1, "k", 20, 30, rv: 6).Build();
        Assert.True(LostWriteChecker.Check(history, Final()).Ok);
    }

    [Fact]
    public void IndeterminateWrite_MayBeTheFinalValue_AndMayOverwriteAnAcknowledgedOne()
    {
        var history = new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .IndeterminateWrite(2, "k", "b", 20)
            .Build();
        var result = LostWriteChecker.Check(history, Final(("k", "b", 9)));
        Assert.True(result.Ok, result.Explanation);
    }

    [Fact]
    public void AcknowledgedWrite_OverwrittenByAnEarlierValue_IsLost()
    {
        var history = new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .Write(2, "k", "b", 20, 30, rv: 6)
            .Build();
        var result = LostWriteChecker.Check(history, Final(("k", "a", 5)));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("acknowledged op 2 (client 2, Write 'k' value='b' -> Ok rv=6, +20.000ms..+30.000ms) is lost", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("written by op 1", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void AcknowledgedWrite_OfAKeyAbsentAtTheEnd_WithoutAnyDelete_IsLost()
    {
        var history = new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 5).Build();
        var result = LostWriteChecker.Check(history, Final());
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("the key is absent from the final state and no Ok or indeterminate delete could have come after it", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteThatCompletedBeforeTheWrite_CannotExplainItsLoss()
    {
        var history = new HistoryBuilder().Delete(1, "k", 0, 10, rv: 4).Write(2, "k", "a", 20, 30, rv: 5).Build();
        Assert.Equal(CheckStatus.Violation, LostWriteChecker.Check(history, Final()).Status);
    }

    [Fact]
    public void FinalValue_NeverWritten_IsInvented()
    {
        var history = new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .Add(OperationKind.Write, 2, "k", 20, 30, OperationOutcome.Failed, value: "b", failure: FailureReason.Rejected)
            .Build();
        var result = LostWriteChecker.Check(history, Final(("k", "b", 6)));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("value='b' rv=6, which no Ok or indeterminate write of this key wrote", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalValue_WithAnotherResourceVersionThanAcknowledged_IsReported()
    {
        var history = new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 5).Build();
        var result = LostWriteChecker.Check(history, Final(("k", "a", 7)));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("acknowledged with another resourceVersion", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalKey_TheHistoryNeverTouched_IsInvented()
    {
        var result = LostWriteChecker.Check(new HistoryBuilder().Build(), Final(("phantom", "x", 3)));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("key 'phantom'", result.Explanation, StringComparison.Ordinal);
    }
}
