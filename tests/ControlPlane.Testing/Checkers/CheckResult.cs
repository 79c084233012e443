using System.Text;

namespace ControlPlane.Testing.Checkers;

/// <summary>
/// A checker's verdict with what a developer needs after a chaos failure: one summary line and one finding per
/// problem, each naming the operations (ids, clients, keys, times) involved.
/// </summary>
public sealed class CheckResult
{
    public CheckResult(string property, CheckStatus status, string summary, IReadOnlyList<string>? findings = null)
    {
        Property = property;
        Status = status;
        Summary = summary;
        Findings = findings ?? [];
    }

    /// <summary>Which promise was checked, e.g. "P2 linearizability".</summary>
    public string Property { get; }

    public CheckStatus Status { get; }

    public bool Ok => Status == CheckStatus.Ok;

    public string Summary { get; }

    public IReadOnlyList<string> Findings { get; }

    /// <summary>Summary and findings, ready for an assertion message.</summary>
    public string Explanation
    {
        get
        {
            var text = new StringBuilder().Append(Property).Append(": ").Append(Status).Append(". ").Append(Summary);
            foreach (var finding in Findings)
            {
                text.AppendLine().Append("  - ").Append(finding.Replace("\n", "\n    ", StringComparison.Ordinal));
            }

            return text.ToString();
        }
    }

    public override string ToString() => Explanation;

    /// <summary>Ok when there are no findings, else a violation listing at most <paramref name="limit"/> of them.</summary>
    internal static CheckResult FromFindings(string property, string okSummary, string violationSummary, List<string> findings, int limit = 20)
    {
        if (findings.Count == 0)
        {
            return new CheckResult(property, CheckStatus.Ok, okSummary);
        }

        var shown = findings.Take(limit).ToList();
        if (findings.Count > limit)
        {
            shown.Add($"... and {findings.Count - limit} more");
        }

        return new CheckResult(property, CheckStatus.Violation, $"{findings.Count} {violationSummary}", shown);
    }
}
