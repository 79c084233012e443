using System.Text;

namespace ControlPlane.Testing.Checkers;

/// <summary>Turns a search result into the text a developer reads after a failure.</summary>
internal sealed partial class LinearizabilitySearch
{
    private const int MaxCandidatesShown = 12;
    private const int ContextShown = 5;

    public string Explain(SearchResult result, string key, OperationText text)
    {
        var deepest = result.Deepest;
        var indeterminate = _ops.Length - _determinateCount;
        var effort = $"{result.Configurations} configurations, {result.Steps} steps in {result.Elapsed.TotalMilliseconds:0} ms";
        var order = $"the longest valid order places {deepest.Placed} of {_determinateCount} determinate operations"
            + (indeterminate > 0 ? $" ({indeterminate} indeterminate ones may be placed or left out)" : "");
        return result.Status switch
        {
            CheckStatus.Ok => $"key '{key}': linearizable ({_ops.Length} operations, {effort}).",
            CheckStatus.Unknown => $"key '{key}': UNDECIDED, {result.StopReason} after {effort}; {order}. This is not a violation: "
                + "raise LinearizabilityOptions.TimeBudgetPerKey, or record fewer operations (or fewer indeterminate ones) per key.",
            _ => ExplainViolation(key, text, deepest, $"key '{key}': NOT linearizable ({_ops.Length} operations, {effort}); {order}"),
        };
    }

    private string ExplainViolation(string key, OperationText text, Deepest deepest, string headline)
    {
        var placed = new bool[_ops.Length];
        foreach (var op in deepest.Path) placed[op] = true;

        // The operation that had to take effect next: the unplaced determinate one that returned first.
        var blocking = -1;
        for (var i = 0; i < _ops.Length; i++)
        {
            if (!placed[i] && _determinate[i] && (blocking < 0 || _ops[i].CompleteTicks < _ops[blocking].CompleteTicks)) blocking = i;
        }

        var report = new StringBuilder(headline).Append("; after it the register is ").Append(deepest.State).Append('.');
        if (blocking < 0) return report.ToString();

        var deadline = _ops[blocking].CompleteTicks!.Value;
        report.Append("\nNext, one of the operations invoked by ").Append(text.Time(deadline))
            .Append(" had to take effect (").Append("op ").Append(_ops[blocking].Id).Append(" returned then), and none can:");
        var candidates = Enumerable.Range(0, _ops.Length)
            .Where(i => !placed[i] && _ops[i].InvokeTicks <= deadline)
            .OrderBy(i => _ops[i].InvokeTicks)
            .ToList();
        foreach (var i in candidates.Take(MaxCandidatesShown))
        {
            var op = _ops[i];
            var why = RegisterModel.Step(deepest.State, op, out var next, explain: true) ?? Stranded(i, next, placed, text);
            report.Append("\n").Append(text.Describe(op)).Append(": ").Append(why).Append(NeverWritten(op));
        }

        if (candidates.Count > MaxCandidatesShown) report.Append("\n... and ").Append(candidates.Count - MaxCandidatesShown).Append(" more");
        if (deepest.Path.Length > 0)
        {
            report.Append("\nThe valid order ends with:");
            foreach (var op in deepest.Path.Skip(Math.Max(0, deepest.Path.Length - ContextShown)))
            {
                report.Append("\n").Append(text.Describe(_ops[op]));
            }
        }

        return report.ToString();
    }

    /// <summary>Why a candidate that fits the state still leads nowhere: often it strands an operation that needs an older rv.</summary>
    private string Stranded(int candidate, in RegisterState next, bool[] placed, OperationText text)
    {
        for (var i = 0; i < _ops.Length; i++)
        {
            if (i != candidate && !placed[i] && _deadline[i] < next.Floor)
            {
                return $"it fits here, but it takes the key to rv {next.Floor}, after which {text.Describe(_ops[i])} could never take effect "
                    + $"(it needs the key's rv to be at most {_deadline[i]})";
            }
        }

        return "it fits here, but no order continuing from it works";
    }

    private string NeverWritten(Operation op)
    {
        if (op.Kind != OperationKind.Read || op.OutputValue is null) return "";
        return _ops.Any(w => w.WritesValue && w.Outcome != OperationOutcome.Failed && string.Equals(w.Value, op.OutputValue, StringComparison.Ordinal))
            ? ""
            : " (no Ok or indeterminate write of this key ever wrote that value)";
    }
}
