namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P11: measures the unavailability window around a fault. A success is an operation answered Ok, at the moment
/// it completed. The window is the longest gap between consecutive successes from the last success before the
/// fault onwards, including the stretch from the last success to the end of the history (an open window:
/// nothing ended it).
/// </summary>
public static class AvailabilityAnalyzer
{
    public const string Property = "P11 bounded unavailability";

    /// <param name="history">The recorded history.</param>
    /// <param name="faultTicks">When the fault was injected, on the history's clock.</param>
    /// <param name="allowedWindow">If given, a longer window is a violation.</param>
    public static AvailabilityReport Analyze(History history, long faultTicks, TimeSpan? allowedWindow = null)
    {
        HistoryValidator.Validate(history);
        var ops = history.Operations;
        if (ops.Count == 0) throw new ArgumentException("The history is empty: no availability can be measured.", nameof(history));
        var text = new OperationText(history);
        var successes = ops.Where(op => op.Outcome == OperationOutcome.Ok).OrderBy(op => op.CompleteTicks).ToList();
        var end = ops.Max(op => Math.Max(op.InvokeTicks, op.CompleteTicks ?? op.InvokeTicks));

        var before = successes.LastOrDefault(op => op.CompleteTicks <= faultTicks);
        var start = before?.CompleteTicks ?? ops.Min(op => op.InvokeTicks);
        (long Start, long? End, Operation? Opened, Operation? Closed) window = (start, null, before, null);
        long longest = -1;
        var previous = (Ticks: start, Op: before);
        foreach (var success in successes.Where(op => op.CompleteTicks > faultTicks))
        {
            var gap = success.CompleteTicks!.Value - previous.Ticks;
            if (gap > longest) (longest, window) = (gap, (previous.Ticks, success.CompleteTicks, previous.Op, success));
            previous = (success.CompleteTicks!.Value, success);
        }

        if (end - previous.Ticks > longest)
        {
            // No success closes it: the window runs to the end of the history.
            (longest, window) = (end - previous.Ticks, (previous.Ticks, null, previous.Op, null));
        }

        var firstAfter = successes.Where(op => op.InvokeTicks >= faultTicks).MinBy(op => op.CompleteTicks);
        var after = ops.Where(op => op.InvokeTicks >= faultTicks).ToList();
        var longestWindow = Ticks(longest, history);
        var timeToFirst = firstAfter is null ? (TimeSpan?)null : Ticks(firstAfter.CompleteTicks!.Value - faultTicks, history);
        var inWindow = ops.Where(op => op.InvokeTicks >= window.Start && op.InvokeTicks < (window.End ?? long.MaxValue) && op.Outcome != OperationOutcome.Ok).ToList();

        var summary = $"fault at {text.Time(faultTicks)}; longest window without a success {text.Duration(longest)}, from {text.Time(window.Start)} "
            + (window.Opened is null ? "(start of the history)" : $"(last success: op {window.Opened.Id})")
            + (window.End is null ? $" to the end of the history at {text.Time(end)} with no success after it" : $" to {text.Time(window.End.Value)} (op {window.Closed!.Id} succeeded)")
            + $", {inWindow.Count(op => op.Outcome == OperationOutcome.Failed)} failed and {inWindow.Count(op => op.Outcome == OperationOutcome.Indeterminate)} indeterminate operations invoked within it; "
            + (timeToFirst is null ? "no operation invoked after the fault succeeded" : $"first success of an operation invoked after the fault {text.Duration(firstAfter!.CompleteTicks!.Value - faultTicks)} after it (op {firstAfter.Id})")
            + $". Outcomes: {Count(ops, OperationOutcome.Ok)} ok, {Count(ops, OperationOutcome.Failed)} failed, {Count(ops, OperationOutcome.Indeterminate)} indeterminate"
            + $" ({Count(after, OperationOutcome.Ok)}/{Count(after, OperationOutcome.Failed)}/{Count(after, OperationOutcome.Indeterminate)} invoked after the fault).";
        var violated = allowedWindow is { } allowed && longestWindow > allowed;
        var verdict = new CheckResult(
            Property,
            violated ? CheckStatus.Violation : CheckStatus.Ok,
            violated ? $"the window exceeds the allowed {allowedWindow!.Value.TotalMilliseconds:0} ms: {summary}" : summary);
        return new AvailabilityReport
        {
            Verdict = verdict,
            LongestWindow = longestWindow,
            WindowStartTicks = window.Start,
            WindowEndTicks = window.End,
            TimeToFirstSuccess = timeToFirst,
            OkCount = Count(ops, OperationOutcome.Ok),
            FailedCount = Count(ops, OperationOutcome.Failed),
            IndeterminateCount = Count(ops, OperationOutcome.Indeterminate),
            OkAfterFault = Count(after, OperationOutcome.Ok),
            FailedAfterFault = Count(after, OperationOutcome.Failed),
            IndeterminateAfterFault = Count(after, OperationOutcome.Indeterminate),
        };
    }

    private static int Count(IEnumerable<Operation> ops, OperationOutcome outcome) => ops.Count(op => op.Outcome == outcome);

    private static TimeSpan Ticks(long ticks, History history) => TimeSpan.FromSeconds((double)ticks / history.TicksPerSecond);
}
