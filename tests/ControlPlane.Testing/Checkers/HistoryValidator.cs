namespace ControlPlane.Testing.Checkers;

/// <summary>
/// Refuses histories a checker cannot judge (a recorder or workload bug, not a server bug), naming the
/// operation and what is wrong with it.
/// </summary>
internal static class HistoryValidator
{
    public static void Validate(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var text = new OperationText(history);
        var ids = new HashSet<long>();
        foreach (var op in history.Operations)
        {
            if (op is null) throw new ArgumentException("The history contains a null operation.", nameof(history));
            var problem = Problem(op);
            if (problem is null && !ids.Add(op.Id)) problem = "its id is used by another operation";
            if (problem is not null)
            {
                throw new ArgumentException($"Invalid history: {text.Describe(op)}: {problem}.", nameof(history));
            }
        }
    }

    private static string? Problem(Operation op)
    {
        if (string.IsNullOrEmpty(op.Key)) return "the key is empty";
        if (op.Outcome != OperationOutcome.Indeterminate && op.CompleteTicks is null)
        {
            return $"an {op.Outcome} operation must have a completion time";
        }

        if (op.CompleteTicks is { } complete && complete < op.InvokeTicks) return "it completed before it was invoked";
        if (op.WritesValue && op.Value is null) return $"a {op.Kind} must carry the value it writes";
        if (op.Kind == OperationKind.ConditionalWrite && op.ExpectedVersion is null) return "a ConditionalWrite must carry its expected resourceVersion";
        if (op.Failure != FailureReason.Unspecified && op.Outcome != OperationOutcome.Failed) return "only a Failed operation has a failure reason";
        if (op.NoOp && (op.Outcome != OperationOutcome.Ok || op.Kind is OperationKind.Read or OperationKind.Create))
        {
            return "only an Ok Write, ConditionalWrite or Delete can be a NoOp";
        }

        if (op.Outcome == OperationOutcome.Indeterminate && (op.OutputValue is not null || op.OutputVersion is not null))
        {
            return "an Indeterminate operation has no output";
        }

        if (op.OutputValue is not null && op.Kind != OperationKind.Read)
        {
            return "only a read has an output value";
        }

        if (op.Kind == OperationKind.Read && op.Outcome == OperationOutcome.Ok && (op.OutputValue is null) != (op.OutputVersion is null))
        {
            return "an Ok read sees a value together with its resourceVersion, or neither (absent)";
        }

        return null;
    }
}
