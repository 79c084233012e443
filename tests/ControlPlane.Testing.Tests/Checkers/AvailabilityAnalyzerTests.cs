using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class AvailabilityAnalyzerTests
{
    private static HistoryBuilder Outage()
    {
        var builder = new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 1)
            .Write(1, "k", "b", 12, 20, rv: 2)
            .Write(1, "k", "c", 22, 30, rv: 3);
        for (var t = 40; t < 240; t += 20)
        {
            builder.Add(OperationKind.Write, 1, "k", t, t + 15, OperationOutcome.Failed, value: $"f{t}", failure: FailureReason.Rejected);
        }

        return builder
            .IndeterminateWrite(2, "k", "lost", 50)
            .Write(1, "k", "d", 240, 250, rv: 9)
            .Write(1, "k", "e", 252, 260, rv: 10);
    }

    [Fact]
    public void LongestWindow_RunsFromTheLastSuccessBeforeTheFault_ToTheFirstAfter()
    {
        var report = AvailabilityAnalyzer.Analyze(Outage().Build(), faultTicks: 35);
        Assert.Equal(TimeSpan.FromMilliseconds(220), report.LongestWindow);
        Assert.Equal(30, report.WindowStartTicks);
        Assert.Equal(250, report.WindowEndTicks);
        Assert.Equal(TimeSpan.FromMilliseconds(215), report.TimeToFirstSuccess);
        Assert.Equal((5, 10, 1), (report.OkCount, report.FailedCount, report.IndeterminateCount));
        Assert.Equal((2, 10, 1), (report.OkAfterFault, report.FailedAfterFault, report.IndeterminateAfterFault));
        Assert.True(report.Verdict.Ok, report.Verdict.Explanation);
        Assert.Contains("220.000ms", report.Verdict.Explanation, StringComparison.Ordinal);
        Assert.Contains("10 failed and 1 indeterminate", report.Verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowLongerThanAllowed_IsAViolation()
    {
        Assert.Equal(CheckStatus.Violation, AvailabilityAnalyzer.Analyze(Outage().Build(), 35, TimeSpan.FromMilliseconds(100)).Verdict.Status);
        Assert.Equal(CheckStatus.Ok, AvailabilityAnalyzer.Analyze(Outage().Build(), 35, TimeSpan.FromMilliseconds(500)).Verdict.Status);
    }

    [Fact]
    public void NoSuccessAfterTheFault_LeavesTheWindowOpenToTheEnd()
    {
        var history = new HistoryBuilder()
            .Write(1, "k", "a", 0, 10, rv: 1)
            .Add(OperationKind.Write, 1, "k", 20, 90, OperationOutcome.Failed, value: "b", failure: FailureReason.Rejected)
            .Build();
        var report = AvailabilityAnalyzer.Analyze(history, faultTicks: 15);
        Assert.Null(report.WindowEndTicks);
        Assert.Null(report.TimeToFirstSuccess);
        Assert.Equal(TimeSpan.FromMilliseconds(80), report.LongestWindow);
        Assert.Contains("no operation invoked after the fault succeeded", report.Verdict.Explanation, StringComparison.Ordinal);
    }
}
