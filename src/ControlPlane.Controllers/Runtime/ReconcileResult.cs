namespace ControlPlane.Controllers.Runtime;

/// <summary>The answer of one reconcile: <see cref="ReconcileOutcome"/> plus its delay or error.</summary>
public sealed record ReconcileResult
{
    private ReconcileResult(ReconcileOutcome outcome, TimeSpan delay, string? error)
    {
        Outcome = outcome;
        Delay = delay;
        Error = error;
    }

    public ReconcileOutcome Outcome { get; }

    /// <summary>For <see cref="ReconcileOutcome.RequeueAfter"/>: how long to wait.</summary>
    public TimeSpan Delay { get; }

    /// <summary>For <see cref="ReconcileOutcome.Retry"/> and <see cref="ReconcileOutcome.Terminal"/>: what went wrong.</summary>
    public string? Error { get; }

    public static ReconcileResult Done { get; } = new(ReconcileOutcome.Done, TimeSpan.Zero, null);

    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(ReconcileOutcome.RequeueAfter, delay, null);
    }

    public static ReconcileResult Retry(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(ReconcileOutcome.Retry, TimeSpan.Zero, error);
    }

    public static ReconcileResult Terminal(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(ReconcileOutcome.Terminal, TimeSpan.Zero, error);
    }

    public override string ToString() => Outcome switch
    {
        ReconcileOutcome.RequeueAfter => $"RequeueAfter({Delay})",
        ReconcileOutcome.Retry or ReconcileOutcome.Terminal => $"{Outcome}({Error})",
        _ => Outcome.ToString(),
    };
}
