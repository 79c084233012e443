namespace ControlPlane.Testing.Checkers;

/// <summary>
/// P10: replicas converge. Every sample taken at the same applied index, from any node (or the same node twice),
/// must report the same state hash. With <c>requireSameIndex</c>, each node's last sample must also be at one
/// common index: all caught up.
/// </summary>
public static class ConvergenceChecker
{
    public const string Property = "P10 replica convergence";

    public static CheckResult Check(IEnumerable<ReplicaSample> samples, bool requireSameIndex = false)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var all = samples.ToList();
        if (all.Count == 0) throw new ArgumentException("No samples: convergence cannot be judged from nothing.", nameof(samples));
        var findings = new List<string>();
        foreach (var index in all.GroupBy(s => s.AppliedIndex).OrderBy(g => g.Key))
        {
            var hashes = index.GroupBy(s => s.StateHash, StringComparer.Ordinal).ToList();
            if (hashes.Count > 1)
            {
                findings.Add($"replicas diverged at applied index {index.Key}: "
                    + string.Join("; ", hashes.Select(h => $"hash '{h.Key}' from {string.Join(", ", h.Select(s => s.Node).Distinct())}")) + ".");
            }
        }

        var last = all.GroupBy(s => s.Node, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        if (requireSameIndex && last.Select(s => s.AppliedIndex).Distinct().Count() > 1)
        {
            findings.Add("replicas did not catch up to one applied index: "
                + string.Join(", ", last.Select(s => $"{s.Node} at {s.AppliedIndex}")) + ".");
        }

        return CheckResult.FromFindings(
            Property,
            $"{all.Count} samples from {last.Count} nodes agree at every shared applied index"
                + (requireSameIndex ? $" and all nodes reached index {last[0].AppliedIndex}." : "."),
            "convergence problems.",
            findings);
    }
}
