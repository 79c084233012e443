namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P8: a write carrying request id k is applied at most once, however often it was retried. The test supplies how
/// many times each request id was applied (counted from the watch stream or the committed log). Also flagged:
/// a request answered Failed that was applied anyway, and, when the counts are complete, an acknowledged
/// write that was never applied.
/// </summary>
public static class ExactlyOnceChecker
{
    public const string Property = "P8 exactly-once application";

    /// <param name="history">The recorded history; its operations' <see cref="Operation.RequestId"/> name the requests.</param>
    /// <param name="applications">Request id to the number of times the store applied it.</param>
    /// <param name="applicationsComplete">True when <paramref name="applications"/> covers every applied request (the whole log), so a missing id means "never applied".</param>
    public static CheckResult Check(History history, IReadOnlyDictionary<string, int> applications, bool applicationsComplete = false)
    {
        HistoryValidator.Validate(history);
        ArgumentNullException.ThrowIfNull(applications);
        var text = new OperationText(history);
        var byRequest = history.Operations.Where(op => op.RequestId is not null).ToLookup(op => op.RequestId!, StringComparer.Ordinal);
        var findings = new List<string>();
        foreach (var (requestId, count) in applications.Where(a => a.Value > 1).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var ops = byRequest[requestId].ToList();
            findings.Add($"request '{requestId}' was applied {count} times: "
                + (ops.Count == 0 ? "(no operation of the history carries it)" : string.Join("; ", ops.Select(text.Describe))) + ".");
        }

        foreach (var op in history.Operations.Where(op => op.RequestId is not null && op.IsMutation))
        {
            var count = applications.GetValueOrDefault(op.RequestId!);
            if (op.Outcome == OperationOutcome.Failed && count > 0)
            {
                findings.Add($"{text.Describe(op)} was answered Failed, yet request '{op.RequestId}' was applied {count} time(s).");
            }
            else if (applicationsComplete && op.Outcome == OperationOutcome.Ok && !op.NoOp && count == 0)
            {
                findings.Add($"{text.Describe(op)} was acknowledged, yet request '{op.RequestId}' was never applied.");
            }
        }

        return CheckResult.FromFindings(
            Property,
            $"{byRequest.Count} request ids, {applications.Count} applied, none more than once.",
            "requests applied more than once, or against their answer.",
            findings);
    }
}
