using System.Text;

namespace ControlPlane.Testing.Watch;

/// <summary>What the validator found in one recording: the violations, and how much it checked.</summary>
public sealed record WatchValidationResult(WatchRecording Recording, IReadOnlyList<WatchViolation> Violations, int Events, int Bookmarks, int Resumes)
{
    /// <summary>How many violations the report lists before it says "and N more".</summary>
    public const int ReportLimit = 20;

    public bool IsValid => Violations.Count == 0;

    public override string ToString()
    {
        var text = new StringBuilder($"{Recording}: {Events} events, {Bookmarks} bookmarks, {Resumes} resumes checked, {Violations.Count} violations");
        foreach (var violation in Violations.Take(ReportLimit)) text.Append("\n  ").Append(violation);
        if (Violations.Count > ReportLimit) text.Append($"\n  ... and {Violations.Count - ReportLimit} more");
        return text.ToString();
    }
}
