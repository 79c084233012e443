namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P1: no acknowledged write is lost. Given the history and a final linearizable read of every key taken after the
/// faults healed (a full List: keys missing from it are absent), every acknowledged write must be the final value
/// or be overwritten by a write or delete (Ok or indeterminate) that could have come after it; every final value
/// must come from a write that was Ok or indeterminate, with the resourceVersion that write was given.
/// Keys of the final state that the history never wrote are reported as invented: pass only the workload's keys.
/// </summary>
public static class LostWriteChecker
{
    public const string Property = "P1 no acknowledged write lost";

    public static CheckResult Check(History history, IReadOnlyDictionary<string, VersionedValue> finalState)
    {
        HistoryValidator.Validate(history);
        ArgumentNullException.ThrowIfNull(finalState);
        var text = new OperationText(history);
        var byKey = history.Operations.ToLookup(op => op.Key, StringComparer.Ordinal);
        var keys = byKey.Select(g => g.Key).Union(finalState.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var findings = new List<string>();
        var acknowledged = 0;
        foreach (var key in keys)
        {
            var ops = byKey[key].ToList();
            acknowledged += ops.Count(IsAcknowledgedWrite);
            findings.AddRange(finalState.TryGetValue(key, out var final)
                ? CheckPresent(key, ops, final, text)
                : CheckAbsent(key, ops, text));
        }

        return CheckResult.FromFindings(
            Property,
            $"{acknowledged} acknowledged writes over {finalState.Count} final keys are all accounted for.",
            "acknowledged writes lost or final values unexplained.",
            findings);
    }

    private static IEnumerable<string> CheckPresent(string key, List<Operation> ops, VersionedValue final, OperationText text)
    {
        var finalText = $"value={OperationText.Value(final.Value)} rv={final.ResourceVersion}";
        var writers = ops.Where(op => op.WritesValue && op.Outcome != OperationOutcome.Failed && string.Equals(op.Value, final.Value, StringComparison.Ordinal)).ToList();
        if (writers.Count == 0)
        {
            yield return $"key '{key}': the final state holds {finalText}, which no Ok or indeterminate write of this key wrote (an invented or resurrected value).";
            yield break;
        }

        var consistent = writers.Where(w => w.Outcome != OperationOutcome.Ok || w.NoOp || w.OutputVersion is null || w.OutputVersion == final.ResourceVersion).ToList();
        if (consistent.Count == 0)
        {
            yield return $"key '{key}': the final state holds {finalText}, but the write of that value was acknowledged with another resourceVersion: "
                + string.Join("; ", writers.Select(text.Describe)) + ".";
            yield break;
        }

        foreach (var write in ops.Where(IsAcknowledgedWrite))
        {
            if (consistent.Contains(write)) continue;
            var last = consistent.FirstOrDefault(f => !DefinitelyBefore(f, write));
            if (last is null)
            {
                yield return $"key '{key}': acknowledged {text.Describe(write)} is lost: the final state holds {finalText}, "
                    + $"written by {text.Describe(consistent[0])}, which came before it.";
            }
            else if (!ops.Any(x => CanOverwrite(x, write)))
            {
                yield return $"key '{key}': acknowledged {text.Describe(write)} is lost: the final state holds {finalText} "
                    + "and no write or delete could have replaced it.";
            }
        }
    }

    private static IEnumerable<string> CheckAbsent(string key, List<Operation> ops, OperationText text)
    {
        foreach (var write in ops.Where(IsAcknowledgedWrite))
        {
            if (!ops.Any(x => x.Kind == OperationKind.Delete && CanOverwrite(x, write)))
            {
                yield return $"key '{key}': acknowledged {text.Describe(write)} is lost: the key is absent from the final state "
                    + "and no Ok or indeterminate delete could have come after it.";
            }
        }
    }

    private static bool IsAcknowledgedWrite(Operation op) => op.WritesValue && op.Outcome == OperationOutcome.Ok;

    /// <summary>Whether <paramref name="x"/> may have changed the key after <paramref name="write"/> took effect.</summary>
    private static bool CanOverwrite(Operation x, Operation write)
    {
        if (ReferenceEquals(x, write) || !x.IsMutation || x.NoOp) return false;
        return x.Outcome switch
        {
            OperationOutcome.Indeterminate => true,
            OperationOutcome.Ok => !DefinitelyBefore(x, write),
            _ => false,
        };
    }

    /// <summary>An acknowledged <paramref name="a"/> took effect before <paramref name="b"/>: by resourceVersion, or by real time.</summary>
    private static bool DefinitelyBefore(Operation a, Operation b)
    {
        if (a.Outcome != OperationOutcome.Ok) return false;
        if (b.Outcome == OperationOutcome.Ok && !a.NoOp && !b.NoOp && a.OutputVersion is { } ra && b.OutputVersion is { } rb) return ra < rb;
        return a.CompleteTicks < b.InvokeTicks;
    }
}
