namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// Which of two Plans is better, a total order: the higher <see cref="PlanVersion"/> precedence; on a tie the one
/// created earlier (a Plan without a creation time counts as the newest), so publishing a duplicate version never
/// takes the Goal away from the Plan that already had it; on a tie the ordinal-smaller name. Names are unique in a
/// namespace, so two distinct Plans of one Goal never tie. resourceVersion is deliberately not used: it changes on
/// every edit, and an edit must not reorder Plans.
/// </summary>
public static class PlanRanking
{
    /// <summary>Positive when <paramref name="a"/> is the better Plan, negative when <paramref name="b"/> is.</summary>
    public static int Compare(PlanView a, PlanView b)
    {
        var c = PlanVersion.ComparePrecedence(a.Version, b.Version);
        if (c != 0) return c;
        c = (b.CreatedAt ?? DateTimeOffset.MaxValue).CompareTo(a.CreatedAt ?? DateTimeOffset.MaxValue);
        return c != 0 ? c : string.CompareOrdinal(b.Name, a.Name);
    }

    /// <summary>The best of a non-empty set.</summary>
    public static PlanView Best(IEnumerable<PlanView> plans)
    {
        PlanView? best = null;
        foreach (var plan in plans)
        {
            if (best is null || Compare(plan, best) > 0) best = plan;
        }

        return best ?? throw new ArgumentException("no Plans to rank", nameof(plans));
    }
}
