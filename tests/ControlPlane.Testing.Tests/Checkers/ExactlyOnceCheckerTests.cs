using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class ExactlyOnceCheckerTests
{
    private static History History() => new HistoryBuilder()
        .Add(OperationKind.Write, 1, "k", 0, 10, value: "a", rv: 5, requestId: "r1")
        .Add(OperationKind.Write, 1, "k", 20, null, OperationOutcome.Indeterminate, value: "b", requestId: "r2")
        .Add(OperationKind.Create, 2, "k", 30, 40, OperationOutcome.Failed, value: "c", failure: FailureReason.AlreadyExists, requestId: "r3")
        .Build();

    [Fact]
    public void EachRequestAppliedOnce_Passes()
    {
        var result = ExactlyOnceChecker.Check(History(), new Dictionary<string, int> { ["r1"] = 1, ["r2"] = 1 }, applicationsComplete: true);
        Assert.True(result.Ok, result.Explanation);
    }

    [Fact]
    public void RetriedRequestAppliedTwice_IsReportedWithItsOperation()
    {
        var result = ExactlyOnceChecker.Check(History(), new Dictionary<string, int> { ["r1"] = 1, ["r2"] = 2 });
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("request 'r2' was applied 2 times: op 2 (client 1, Write 'k'", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedRequest_ThatWasApplied_IsReported()
    {
        var result = ExactlyOnceChecker.Check(History(), new Dictionary<string, int> { ["r1"] = 1, ["r3"] = 1 });
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("was answered Failed, yet request 'r3' was applied 1 time(s)", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void AcknowledgedRequest_NeverApplied_IsReportedOnlyWhenTheCountsAreComplete()
    {
        var counts = new Dictionary<string, int>();
        Assert.True(ExactlyOnceChecker.Check(History(), counts).Ok);
        var result = ExactlyOnceChecker.Check(History(), counts, applicationsComplete: true);
        Assert.Equal(CheckStatus.Violation, result.Status);
        Assert.Contains("request 'r1' was never applied", result.Explanation, StringComparison.Ordinal);
    }
}
