namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P2: single-object linearizability. Splits the history by key (linearizability is compositional, so each key is
/// checked alone) and searches each key for an order of its operations that respects real time (an operation
/// that returned before another was invoked comes first) and the versioned-register model
/// (<see cref="RegisterModel"/>): reads return the state; writes set the value and a resourceVersion above every
/// earlier one of the key; a conditional write succeeds exactly when its expected resourceVersion is current; a
/// create fails only on a present key; deleting an absent key is a NoOp. Indeterminate operations may be placed
/// anywhere after their invocation, or left out. Violations that need no search (<see cref="ObviousViolations"/>:
/// invented values, stale reads, resourceVersions going backwards, two grants of one expected resourceVersion)
/// are reported first, without searching.
/// <para>
/// Complexity: deciding linearizability is NP-complete; the search (<see cref="LinearizabilitySearch"/>) costs
/// the number of distinct configurations it visits, about n · 2^c for n operations of a key with c in flight at
/// once, each about n/8 bytes. Linearizable keys of a few thousand operations at concurrency 8–16 take well under
/// a second. The limit is indeterminate operations: one that never took effect stays in flight forever, so
/// proving a violation in a long key with dozens of them can exhaust the budget. When a key's budget
/// (<see cref="LinearizabilityOptions"/>) runs out the verdict is <see cref="CheckStatus.Unknown"/>, never a pass
/// and never a violation. Measurements and advice (rotate keys) are in Checkers/README.md.
/// </para>
/// </summary>
public static class LinearizabilityChecker
{
    public const string Property = "P2 linearizability";

    /// <summary>Checks every key; a violation anywhere wins over Unknown, Unknown over Ok.</summary>
    public static CheckResult Check(History history, LinearizabilityOptions? options = null)
    {
        HistoryValidator.Validate(history);
        var text = new OperationText(history);
        var results = history.Operations
            .GroupBy(op => op.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => CheckKey(g.Key, [.. g], text, options))
            .ToList();
        var violations = results.Where(r => r.Status == CheckStatus.Violation).ToList();
        var unknown = results.Where(r => r.Status == CheckStatus.Unknown).ToList();
        var status = violations.Count > 0 ? CheckStatus.Violation : unknown.Count > 0 ? CheckStatus.Unknown : CheckStatus.Ok;
        var summary = $"{results.Count} keys, {history.Operations.Count} operations: {violations.Count} not linearizable, "
            + $"{unknown.Count} undecided; {results.Sum(r => (long)r.Configurations)} configurations in "
            + $"{results.Sum(r => r.Elapsed.TotalMilliseconds):0} ms.";
        return new CheckResult(Property, status, summary, [.. violations.Concat(unknown).Select(r => r.Explanation)]);
    }

    /// <summary>Checks the operations of one key.</summary>
    public static KeyLinearizabilityResult CheckKey(History history, string key, LinearizabilityOptions? options = null)
    {
        HistoryValidator.Validate(history);
        var operations = history.Operations.Where(op => string.Equals(op.Key, key, StringComparison.Ordinal)).ToList();
        return CheckKey(key, operations, new OperationText(history), options);
    }

    private static KeyLinearizabilityResult CheckKey(string key, List<Operation> keyOperations, OperationText text, LinearizabilityOptions? options)
    {
        options ??= LinearizabilityOptions.Default;
        var operations = keyOperations.Where(RegisterModel.Constrains).ToList();
        var obvious = options.SearchOnly ? [] : ObviousViolations.Find(operations, text);
        if (obvious.Count > 0)
        {
            var explanation = $"key '{key}': NOT linearizable ({operations.Count} operations; found without search):\n" + string.Join("\n", obvious);
            return new KeyLinearizabilityResult(key, CheckStatus.Violation, operations.Count, 0, TimeSpan.Zero, explanation, null);
        }

        var search = new LinearizabilitySearch(operations);
        var result = search.Run(options.TimeBudgetPerKey, options.MaxConfigurationsPerKey);
        return new KeyLinearizabilityResult(
            key, result.Status, operations.Count, result.Configurations, result.Elapsed, search.Explain(result, key, text), result.Witness);
    }
}
