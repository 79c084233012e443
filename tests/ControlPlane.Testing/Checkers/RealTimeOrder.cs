namespace ControlPlane.Testing.Checkers;

/// <summary>Sweeps over operations in real-time order, shared by the checkers that compare resourceVersions.</summary>
internal static class RealTimeOrder
{
    /// <summary>
    /// Each probe that was invoked after some source completed, yet carries a resourceVersion below that source's
    /// minimum, paired with the source of the highest minimum. O((s + p) log(s + p)).
    /// </summary>
    public static IEnumerable<(Operation Probe, Operation Source)> Backwards(
        IEnumerable<(Operation Source, long Minimum)> sources, IEnumerable<(Operation Probe, long Version)> probes)
    {
        var completed = sources.OrderBy(s => s.Source.CompleteTicks).ToList();
        var next = 0;
        (Operation? Source, long Minimum) highest = (null, long.MinValue);
        foreach (var (probe, version) in probes.OrderBy(p => p.Probe.InvokeTicks))
        {
            for (; next < completed.Count && completed[next].Source.CompleteTicks < probe.InvokeTicks; next++)
            {
                if (completed[next].Minimum > highest.Minimum) highest = completed[next];
            }

            if (highest.Source is not null && version < highest.Minimum) yield return (probe, highest.Source);
        }
    }
}
