using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>
/// Breaks a generated (linearizable) history in one place, in ways that are violations whatever order the
/// checker tries: each mutation's comment says why. Values in generated histories are unique, which these rely on.
/// </summary>
internal static class HistoryMutator
{
    /// <summary>A read returns a value no operation ever wrote.</summary>
    public static (History History, string Mutation)? GhostRead(History history, Random random)
    {
        var reads = history.Operations.Where(op => op.Kind == OperationKind.Read && op.Outcome == OperationOutcome.Ok).ToList();
        if (reads.Count == 0) return null;
        var read = reads[random.Next(reads.Count)];
        var ghost = read with { OutputValue = "ghost", OutputVersion = read.OutputVersion ?? 1 };
        return (Replace(history, read, ghost), $"op {read.Id} now reads value 'ghost'");
    }

    /// <summary>
    /// A read invoked after a write W1 completed returns an older write W0 (rv0 &lt; rv1) of its key: W1 must precede
    /// the read and leaves the key's rv at rv1 or above, and only W0 ever wrote its value, at rv0.
    /// </summary>
    public static (History History, string Mutation)? StaleRead(History history, Random random)
    {
        var writes = history.Operations.Where(IsAcknowledgedValueWrite).ToList();
        var candidates = (
            from read in history.Operations
            where read.Kind == OperationKind.Read && read.Outcome == OperationOutcome.Ok
            let later = writes.Where(w => w.Key == read.Key && w.CompleteTicks < read.InvokeTicks).MaxBy(w => w.OutputVersion)
            where later is not null
            let older = writes.Where(w => w.Key == read.Key && w.OutputVersion < later.OutputVersion).ToList()
            where older.Count > 0
            select (read, older)).ToList();
        if (candidates.Count == 0) return null;
        var (victim, olderWrites) = candidates[random.Next(candidates.Count)];
        var source = olderWrites[random.Next(olderWrites.Count)];
        var stale = victim with { OutputValue = source.Value, OutputVersion = source.OutputVersion };
        return (Replace(history, victim, stale), $"op {victim.Id} now reads op {source.Id}'s overwritten value at rv {source.OutputVersion}");
    }

    /// <summary>
    /// A write W1 invoked after W0 of the same key completed is given W0's resourceVersion: W1 must follow W0 and
    /// needs a resourceVersion above it (and two writes now share one).
    /// </summary>
    public static (History History, string Mutation)? ResourceVersionRegression(History history, Random random)
    {
        var writes = history.Operations.Where(IsAcknowledgedValueWrite).ToList();
        var pairs = (
            from earlier in writes
            from later in writes
            where later.Key == earlier.Key && earlier.CompleteTicks < later.InvokeTicks
            select (earlier, later)).ToList();
        if (pairs.Count == 0) return null;
        var (w0, w1) = pairs[random.Next(pairs.Count)];
        return (Replace(history, w1, w1 with { OutputVersion = w0.OutputVersion }), $"op {w1.Id} now returns op {w0.Id}'s rv {w0.OutputVersion}");
    }

    /// <summary>
    /// A present read becomes a read of an absent key, where an acknowledged write of the key completed before the
    /// read and no delete of the key (Ok or indeterminate) was invoked before the read completed: the key is
    /// present from that write on. None of the search-free checks sees this; only the search can.
    /// </summary>
    public static (History History, string Mutation)? AbsentRead(History history, Random random)
    {
        var candidates = history.Operations
            .Where(read => read.Kind == OperationKind.Read && read.Outcome == OperationOutcome.Ok && read.OutputVersion is not null)
            .Where(read => history.Operations.Any(w => w.Key == read.Key && IsAcknowledgedValueWrite(w) && w.CompleteTicks < read.InvokeTicks))
            .Where(read => !history.Operations.Any(d => d.Key == read.Key && d.Kind == OperationKind.Delete
                && d.Outcome != OperationOutcome.Failed && d.InvokeTicks <= read.CompleteTicks))
            .ToList();
        if (candidates.Count == 0) return null;
        var read = candidates[random.Next(candidates.Count)];
        return (Replace(history, read, read with { OutputValue = null, OutputVersion = null }), $"op {read.Id} now reads the key as absent");
    }

    private static bool IsAcknowledgedValueWrite(Operation op) =>
        op.WritesValue && op.Outcome == OperationOutcome.Ok && !op.NoOp && op.OutputVersion is not null;

    private static History Replace(History history, Operation old, Operation replacement) =>
        new([.. history.Operations.Select(op => ReferenceEquals(op, old) ? replacement : op)], history.TicksPerSecond) { Notes = history.Notes };
}
