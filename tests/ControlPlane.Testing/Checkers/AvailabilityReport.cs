namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P11 measurements around one fault: the longest stretch without a successful operation that contains or follows
/// the fault, how long after the fault the first operation invoked after it succeeded, and outcome counts.
/// </summary>
public sealed record AvailabilityReport
{
    /// <summary>Ok when no limit was given or the window is within it; Violation otherwise.</summary>
    public required CheckResult Verdict { get; init; }

    public required TimeSpan LongestWindow { get; init; }

    /// <summary>Ticks: the last success before the window (or the history's start).</summary>
    public required long WindowStartTicks { get; init; }

    /// <summary>Ticks: the success that ended the window, or null when none did before the history ended.</summary>
    public required long? WindowEndTicks { get; init; }

    /// <summary>From the fault to the completion of the first operation invoked after it that succeeded; null if none did.</summary>
    public required TimeSpan? TimeToFirstSuccess { get; init; }

    public required int OkCount { get; init; }

    public required int FailedCount { get; init; }

    public required int IndeterminateCount { get; init; }

    /// <summary>Outcomes of the operations invoked after the fault.</summary>
    public required int OkAfterFault { get; init; }

    public required int FailedAfterFault { get; init; }

    public required int IndeterminateAfterFault { get; init; }

    public override string ToString() => Verdict.Explanation;
}
