namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P3 and P7 over the whole history: resourceVersions of acknowledged writes are unique across all keys and
/// strictly increase in real-time order (a write invoked after another completed gets a higher one); a client
/// never reads a key at a resourceVersion below one it already saw for that key; and a read invoked after a write
/// of its key completed sees that write's resourceVersion or newer (after a completed delete, only a newer one):
/// no stale reads. Reads of an absent key are left to the linearizability checker.
/// </summary>
public static class ResourceVersionChecker
{
    public const string Property = "P3/P7 resourceVersion order and stale reads";

    public static CheckResult Check(History history)
    {
        HistoryValidator.Validate(history);
        var text = new OperationText(history);
        var findings = new List<string>();
        var writes = history.Operations
            .Where(op => op.IsMutation && op.Outcome == OperationOutcome.Ok && !op.NoOp && op.OutputVersion is not null)
            .ToList();

        foreach (var same in writes.GroupBy(w => w.OutputVersion!.Value).Where(g => g.Count() > 1))
        {
            findings.Add($"rv={same.Key} was returned to more than one acknowledged write: {string.Join("; ", same.Select(text.Describe))}.");
        }

        foreach (var (later, earlier) in RealTimeOrder.Backwards(writes.Select(w => (w, w.OutputVersion!.Value + 1)), writes.Select(w => (w, w.OutputVersion!.Value))))
        {
            findings.Add($"resourceVersion went backwards in real time: {text.Describe(later)} was invoked after {text.Describe(earlier)} had completed.");
        }

        var reads = history.Operations.Where(IsPresentRead).ToList();
        var writesByKey = writes.ToLookup(w => w.Key, StringComparer.Ordinal);
        var flagged = new HashSet<Operation>(ReferenceEqualityComparer.Instance);
        foreach (var key in reads.GroupBy(r => r.Key, StringComparer.Ordinal))
        {
            // Deletes are a floor too: after a completed delete at rv d, a present object was created above d.
            var sources = writesByKey[key.Key].Select(w => (w, w.Kind == OperationKind.Delete ? w.OutputVersion!.Value + 1 : w.OutputVersion!.Value));
            foreach (var (read, write) in RealTimeOrder.Backwards(sources, key.Select(r => (r, r.OutputVersion!.Value))))
            {
                flagged.Add(read);
                findings.Add($"stale read: {text.Describe(read)} was invoked after {text.Describe(write)} had completed.");
            }
        }

        foreach (var mine in history.Operations.Where(op => op.Outcome != OperationOutcome.Indeterminate).GroupBy(op => (op.ClientId, op.Key)))
        {
            var seen = mine.Where(Observes).Select(op => (op, op.OutputVersion!.Value));
            foreach (var (read, before) in RealTimeOrder.Backwards(seen, mine.Where(IsPresentRead).Select(r => (r, r.OutputVersion!.Value))))
            {
                if (flagged.Add(read))
                {
                    findings.Add($"client {read.ClientId} went back in time: {text.Describe(read)} after it had seen {text.Describe(before)}.");
                }
            }
        }

        return CheckResult.FromFindings(
            Property,
            $"{writes.Count} acknowledged writes have unique, real-time increasing resourceVersions; {reads.Count} reads saw no older state than already known.",
            "resourceVersion order or stale-read violations.",
            findings);
    }

    private static bool IsPresentRead(Operation op) =>
        op.Kind == OperationKind.Read && op.Outcome == OperationOutcome.Ok && op.OutputVersion is not null;

    /// <summary>What an operation told its client about a key's resourceVersion (a present read, a write's answer, a failure's current rv).</summary>
    private static bool Observes(Operation op) =>
        op.OutputVersion is { } rv && rv > 0 && op.Kind != OperationKind.Delete && op.Outcome != OperationOutcome.Indeterminate;
}
