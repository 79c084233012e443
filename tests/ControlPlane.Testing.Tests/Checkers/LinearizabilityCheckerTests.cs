using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class LinearizabilityCheckerTests
{
    private static CheckResult Check(HistoryBuilder builder) => LinearizabilityChecker.Check(builder.Build());

    private static void AssertLinearizable(HistoryBuilder builder)
    {
        var result = Check(builder);
        Assert.True(result.Ok, result.Explanation);
    }

    /// <summary>
    /// Both verdict paths must reject: the checker as shipped (which may find the violation without searching) and
    /// the search alone, whose explanation must mention <paramref name="mentions"/>.
    /// </summary>
    private static void AssertViolation(HistoryBuilder builder, params string[] mentions)
    {
        var history = builder.Build();
        var shipped = LinearizabilityChecker.Check(history);
        Assert.True(shipped.Status == CheckStatus.Violation, shipped.Explanation);
        var search = LinearizabilityChecker.Check(history, new LinearizabilityOptions { SearchOnly = true });
        Assert.True(search.Status == CheckStatus.Violation, search.Explanation);
        foreach (var mention in mentions) Assert.Contains(mention, search.Explanation, StringComparison.Ordinal);
    }

    private static void AssertObvious(HistoryBuilder builder, string mention)
    {
        var result = Check(builder);
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("found without search", result.Explanation, StringComparison.Ordinal);
        Assert.Contains(mention, result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ObviousViolations_AreReportedWithoutSearching()
    {
        AssertObvious(new HistoryBuilder().Read(1, "k", 0, 10, "ghost", rv: 3), "read a value no Ok or indeterminate write of this key wrote");
        AssertObvious(new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 5).Read(2, "k", 20, 30, "a", rv: 4), "at another resourceVersion");
        AssertObvious(
            new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 5).Write(1, "k", "b", 20, 30, rv: 6).Read(2, "k", 40, 50, "a", rv: 5),
            "stale read: op 3");
        AssertObvious(new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 6).Write(1, "k", "b", 20, 30, rv: 5), "went backwards: op 2");
        AssertObvious(
            new HistoryBuilder().Create(1, "k", "a", 0, 10, rv: 1)
                .ConditionalWrite(2, "k", "b", expected: 1, 20, 40, rv: 2).ConditionalWrite(3, "k", "c", expected: 1, 20, 40, rv: 3),
            "2 conditional writes expecting rv=1 all succeeded");
    }

    [Fact]
    public void SameValueRewrittenAtTheSameVersion_IsNotCalledBackwards() => AssertLinearizable(new HistoryBuilder()
        .Write(1, "k", "a", 0, 10, rv: 5)
        .Write(1, "k", "a", 20, 30, rv: 5));

    [Fact]
    public void SequentialHistory_OfEveryKind_IsLinearizable() => AssertLinearizable(new HistoryBuilder()
        .ReadAbsent(1, "k", 0, 1)
        .Create(1, "k", "a", 2, 3, rv: 1)
        .Read(1, "k", 4, 5, "a", rv: 1)
        .CreateAlreadyExists(1, "k", "x", 6, 7)
        .ConditionalWrite(1, "k", "b", expected: 1, 8, 9, rv: 4)
        .ConditionalWriteConflict(1, "k", "c", expected: 1, 10, 11)
        .Write(1, "k", "d", 12, 13, rv: 7)
        .Read(1, "k", 14, 15, "d", rv: 7)
        .Delete(1, "k", 16, 17, rv: 9)
        .Delete(1, "k", 18, 19)
        .ReadAbsent(1, "k", 20, 21)
        .Create(1, "k", "e", 22, 23, rv: 12));

    [Fact]
    public void ConcurrentWrites_ReadsMayOrderAroundThem() => AssertLinearizable(new HistoryBuilder()
        .Write(1, "k", "a", 0, 100, rv: 10)
        .Write(2, "k", "b", 5, 100, rv: 11)
        .ReadAbsent(3, "k", 10, 90)
        .Read(4, "k", 20, 95, "a", rv: 10)
        .Read(5, "k", 30, 99, "b", rv: 11));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OverlappingReads_EitherOrderAroundAWrite_IsLinearizable(bool absentFirst)
    {
        // The two reads overlap each other and the write, so either can come first.
        var builder = new HistoryBuilder().Write(1, "k", "a", 0, 100, rv: 10);
        if (absentFirst) builder.ReadAbsent(2, "k", 10, 40).Read(3, "k", 30, 50, "a", rv: 10);
        else builder.Read(2, "k", 10, 40, "a", rv: 10).ReadAbsent(3, "k", 30, 50);
        AssertLinearizable(builder);
    }

    [Fact]
    public void ReadOfNewValue_ThenStrictlyLaterReadOfOldState_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Write(1, "k", "a", 0, 100, rv: 10)
            .Read(2, "k", 10, 20, "a", rv: 10)
            .ReadAbsent(3, "k", 30, 40),
        "op 3", "absent");

    [Fact]
    public void IndeterminateWrite_ThatTookEffect_ExplainsLaterRead() => AssertLinearizable(new HistoryBuilder()
        .Create(1, "k", "a", 0, 10, rv: 3)
        .IndeterminateWrite(2, "k", "b", 20)
        .Read(3, "k", 50, 60, "b", rv: 8)
        .ConditionalWrite(3, "k", "c", expected: 8, 70, 80, rv: 9));

    [Fact]
    public void IndeterminateWrite_ThatNeverTookEffect_MayBeLeftOut() => AssertLinearizable(new HistoryBuilder()
        .Create(1, "k", "a", 0, 10, rv: 3)
        .IndeterminateWrite(2, "k", "b", 20)
        .Read(3, "k", 50, 60, "a", rv: 3)
        .ConditionalWrite(3, "k", "c", expected: 3, 70, 80, rv: 9)
        .Read(3, "k", 90, 95, "c", rv: 9));

    [Fact]
    public void IndeterminateWrite_MayTakeEffectLongAfterTheClientGaveUp() => AssertLinearizable(new HistoryBuilder()
        .IndeterminateWrite(1, "k", "a", 0)
        .ReadAbsent(2, "k", 50, 60)
        .Read(2, "k", 70, 80, "a", rv: 5));

    [Fact]
    public void IndeterminateWrite_SeenThenUnseen_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .IndeterminateWrite(1, "k", "a", 0)
            .Read(2, "k", 70, 80, "a", rv: 5)
            .ReadAbsent(2, "k", 90, 100),
        "op 3");

    [Fact]
    public void IndeterminateWrite_ReadsMustAgreeOnItsResourceVersion() => AssertViolation(
        new HistoryBuilder()
            .IndeterminateWrite(1, "k", "a", 0)
            .Read(2, "k", 70, 80, "a", rv: 5)
            .Read(3, "k", 90, 100, "a", rv: 6),
        "rv=6");

    [Fact]
    public void LostWrite_AcknowledgedThenReadAbsent_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .ReadAbsent(2, "k", 20, 30),
        "op 2 (client 2, Read 'k' -> Ok absent", "read the key as absent but the register is present value='a' rv=5");

    [Fact]
    public void StaleRead_OfAnOverwrittenValue_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .Write(1, "k", "b", 20, 30, rv: 6)
            .Read(2, "k", 40, 50, "a", rv: 5),
        "takes the key to rv 6, after which op 3 (client 2, Read 'k' -> Ok value='a' rv=5, +40.000ms..+50.000ms) could never take effect");

    [Fact]
    public void ReadOfAValueNeverWritten_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 5)
            .Read(2, "k", 5, 50, "ghost", rv: 5),
        "value='ghost'", "ever wrote that value");

    [Fact]
    public void ResourceVersionGoingBackwards_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 6)
            .Write(1, "k", "b", 20, 30, rv: 5),
        "takes the key to rv 6, after which op 2", "value='b' -> Ok rv=5", "could never take effect");

    [Fact]
    public void TwoOkConditionalWrites_WithTheSameExpectedVersion_AreRejected() => AssertViolation(
        new HistoryBuilder()
            .Create(1, "k", "a", 0, 10, rv: 1)
            .ConditionalWrite(2, "k", "b", expected: 1, 20, 40, rv: 2)
            .ConditionalWrite(3, "k", "c", expected: 1, 20, 40, rv: 3),
        "takes the key to rv 2, after which op 3", "takes the key to rv 3, after which op 2");

    [Fact]
    public void ConcurrentConditionalWrites_OneWinsOneConflicts_IsLinearizable() => AssertLinearizable(new HistoryBuilder()
        .Create(1, "k", "a", 0, 10, rv: 1)
        .ConditionalWriteConflict(2, "k", "b", expected: 1, 20, 40)
        .ConditionalWrite(3, "k", "c", expected: 1, 20, 40, rv: 3));

    [Fact]
    public void ConditionalWriteConflict_WhenTheVersionMatched_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Create(1, "k", "a", 0, 10, rv: 1)
            .ConditionalWriteConflict(2, "k", "b", expected: 1, 20, 40),
        "so it had to succeed");

    [Fact]
    public void CreateSucceeding_OnAnExistingKey_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Create(1, "k", "a", 0, 10, rv: 1)
            .Create(2, "k", "b", 20, 30, rv: 2),
        "a Create can succeed only on an absent key");

    [Fact]
    public void CreateAlreadyExists_OnAnAbsentKey_IsRejected() => AssertViolation(
        new HistoryBuilder().CreateAlreadyExists(1, "k", "a", 0, 10),
        "a Create may fail only when the key is present");

    [Fact]
    public void FailureReportingTheCurrentVersion_IsChecked() => AssertViolation(
        new HistoryBuilder()
            .Create(1, "k", "a", 0, 10, rv: 4)
            .Add(OperationKind.ConditionalWrite, 2, "k", 20, 30, OperationOutcome.Failed, value: "b", expected: 3, rv: 7, failure: FailureReason.Conflict),
        "the server reported current rv=7");

    [Fact]
    public void RejectedFailures_AndFailedReads_DoNotConstrain() => AssertLinearizable(new HistoryBuilder()
        .Create(1, "k", "a", 0, 10, rv: 4)
        .Add(OperationKind.Create, 2, "k", 20, 30, OperationOutcome.Failed, value: "b", failure: FailureReason.Rejected)
        .Add(OperationKind.Read, 2, "k", 40, 50, OperationOutcome.Failed));

    [Fact]
    public void NoOpWrite_KeepsTheResourceVersion() => AssertLinearizable(new HistoryBuilder()
        .Write(1, "k", "a", 0, 10, rv: 4)
        .Add(OperationKind.Write, 1, "k", 20, 30, value: "a", rv: 4, noOp: true)
        .Read(2, "k", 40, 50, "a", rv: 4));

    [Fact]
    public void NoOpWrite_OfADifferentValue_IsRejected() => AssertViolation(
        new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 4)
            .Add(OperationKind.Write, 1, "k", 20, 30, value: "z", rv: 4, noOp: true),
        "NoOp");

    [Fact]
    public void ConditionalDelete_OfAChangedObject_MustFail() => AssertViolation(
        new HistoryBuilder()
            .Create(1, "k", "a", 0, 10, rv: 4)
            .Write(1, "k", "b", 20, 30, rv: 5)
            .Add(OperationKind.Delete, 2, "k", 40, 50, expected: 4, rv: 6),
        "Delete 'k' expecting rv=4 -> Ok rv=6", "could never take effect");

    [Fact]
    public void Keys_AreCheckedIndependently_AndOnlyTheBadKeyIsReported()
    {
        var result = Check(new HistoryBuilder()
            .Write(1, "good", "a", 0, 10, rv: 1)
            .Read(1, "good", 20, 30, "a", rv: 1)
            .Write(1, "bad", "b", 0, 10, rv: 2)
            .ReadAbsent(1, "bad", 20, 30));
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Single(result.Findings);
        Assert.Contains("key 'bad'", result.Findings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void CheckKey_ReturnsAWitnessOrderRespectingRealTime()
    {
        var history = new HistoryBuilder()
            .Write(1, "k", "a", 0, 100, rv: 10)
            .Write(2, "k", "b", 5, 100, rv: 11)
            .Read(3, "k", 110, 120, "b", rv: 11)
            .Build();
        var result = LinearizabilityChecker.CheckKey(history, "k");
        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal([1L, 2L, 3L], result.Linearization);
    }

    [Fact]
    public void BudgetExhausted_IsUnknown_NotAViolation()
    {
        var run = RegisterWorkloadSimulator.Run(seed: 7, keys: 1, clients: 8, operations: 3000);
        var result = LinearizabilityChecker.Check(run.History, new LinearizabilityOptions { MaxConfigurationsPerKey = 10 });
        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.False(result.Ok);
        Assert.Contains("UNDECIDED", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("not a violation", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadWithAVersionButNoValue_IsRefused()
    {
        var history = new HistoryBuilder().Add(OperationKind.Read, 1, "k", 0, 5, rv: 3).Build();
        var error = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check(history));
        Assert.Contains("an Ok read sees a value together with its resourceVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidHistory_IsRefusedNamingTheOperation()
    {
        var history = new HistoryBuilder().Add(OperationKind.Write, 1, "k", 10, 5, value: "a", rv: 1).Build();
        var error = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check(history));
        Assert.Contains("op 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("completed before it was invoked", error.Message, StringComparison.Ordinal);
    }
}
