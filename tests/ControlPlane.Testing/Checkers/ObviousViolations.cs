namespace ControlPlane.Testing.Checkers;

/// <summary>
/// Violations of the register model that need no search, found in O(n log n) before it: each is a consequence of
/// the model (the floor never drops, and a present register with a known resourceVersion sits at the floor), so
/// finding one proves the key is not linearizable. They are the common failures (stale reads, invented values,
/// resourceVersions going backwards, double-granted conditional writes), and finding them directly keeps the
/// verdict decided even when many indeterminate operations would make the search run out of budget.
/// </summary>
internal static class ObviousViolations
{
    public static List<string> Find(IReadOnlyList<Operation> ops, OperationText text)
    {
        var findings = new List<string>();
        var writes = ops.Where(op => op.WritesValue && op.Outcome != OperationOutcome.Failed).ToList();
        var writersByValue = writes.ToLookup(op => op.Value!, StringComparer.Ordinal);
        var acknowledged = writes.Where(op => op.Outcome == OperationOutcome.Ok && !op.NoOp && op.OutputVersion is not null).ToList();
        var reads = ops.Where(op => op.Kind == OperationKind.Read && op.Outcome == OperationOutcome.Ok && op.OutputVersion is not null).ToList();

        foreach (var read in reads)
        {
            var writers = writersByValue[read.OutputValue!].ToList();
            if (writers.Count == 0)
            {
                findings.Add($"{text.Describe(read)} read a value no Ok or indeterminate write of this key wrote.");
            }
            else if (writers.All(w => w.Outcome == OperationOutcome.Ok && !w.NoOp && w.OutputVersion is { } rv && rv != read.OutputVersion))
            {
                findings.Add($"{text.Describe(read)} read the value of {text.Describe(writers[0])} at another resourceVersion.");
            }
        }

        foreach (var (read, write) in RealTimeOrder.Backwards(acknowledged.Select(w => (w, w.OutputVersion!.Value)), reads.Select(r => (r, r.OutputVersion!.Value))))
        {
            findings.Add($"stale read: {text.Describe(read)} was invoked after {text.Describe(write)} had completed.");
        }

        foreach (var (later, earlier) in RealTimeOrder.Backwards(acknowledged.Select(w => (w, w.OutputVersion!.Value)), acknowledged.Select(w => (w, w.OutputVersion!.Value - 1))))
        {
            // The same value at the same rv could be an unflagged NO_OP rewrite: leave that to the search.
            if (string.Equals(later.Value, earlier.Value, StringComparison.Ordinal)) continue;
            findings.Add($"resourceVersion went backwards: {text.Describe(later)} was invoked after {text.Describe(earlier)} had completed.");
        }

        var granted = ops.Where(op => op.Kind == OperationKind.ConditionalWrite && op.Outcome == OperationOutcome.Ok && !op.NoOp);
        foreach (var same in granted.GroupBy(op => op.ExpectedVersion!.Value).Where(g => g.Count() > 1))
        {
            findings.Add($"{same.Count()} conditional writes expecting rv={same.Key} all succeeded: {string.Join("; ", same.Select(text.Describe))}.");
        }

        return findings;
    }
}
