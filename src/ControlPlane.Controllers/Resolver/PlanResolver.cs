using System.Collections.Immutable;
using System.Text;
using ControlPlane.Core.Resources;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// Decides which Plan satisfies a Goal. Pure: no store, no clock (the caller passes <c>now</c>), no randomness;
/// the same inputs always give the same status, message text included.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>An invalid <c>spec.planSelector</c> ends resolution: Pending, reason InvalidSelector.</item>
/// <item>Candidates are the Plans in the Goal's namespace whose <c>spec.goalRef.name</c> is the Goal's name
/// (none: NoPlanFound), then those whose labels match the selector (none: NoPlanMatchesSelector).</item>
/// <item>Candidates are grouped by <c>spec.series</c>; each series keeps its best Plan by <see cref="PlanRanking"/>
/// (highest version, then earliest created, then name). Lower versions in a series are implicitly superseded by
/// its head.</item>
/// <item>A series head named in the <c>spec.supersedes</c> of any other candidate is dropped. Supersedes works
/// across series, and it is transitive: every candidate's list counts, also the list of a Plan that is itself
/// superseded or is not its series' head, so with C superseding B and B superseding A, neither A nor B is
/// chosen. A Plan naming itself is ignored. Plans filtered out by the selector, or deleted, supersede nothing.
/// Dropping a head drops its series (its lower versions were already superseded by it). A cycle (A supersedes B,
/// B supersedes A) drops both; when nothing is left the Goal is Pending with NoPlanFound.</item>
/// <item>The best remaining head by <see cref="PlanRanking"/> becomes <c>status.activePlanRef</c>: Ready, PlanFound.</item>
/// </list>
/// Pending always clears <c>activePlanRef</c>, also for an invalid selector: the status describes the current spec
/// (which <c>observedGeneration</c> names), not the last one that worked.
/// The condition's <c>lastTransitionTime</c> changes only when its status (True/False) changes; a new reason or
/// message with the same status keeps it.
/// </remarks>
public static class PlanResolver
{
    private const int MaxListed = 5;

    /// <summary>Resolves <paramref name="goal"/> against <paramref name="plans"/> (any namespace; others are ignored).</summary>
    /// <param name="goal">The Goal, with the status it has now (for the condition's transition time).</param>
    /// <param name="plans">Plans to consider; Plans of other namespaces or other Goals are skipped.</param>
    /// <param name="now">The time to stamp on a condition whose status changes (truncated to whole seconds).</param>
    /// <exception cref="ArgumentException">The same Plan appears twice among the candidates.</exception>
    public static GoalResolution Resolve(GoalView goal, IEnumerable<PlanView> plans, DateTimeOffset now)
    {
        if (goal.Selector is null)
        {
            return Pending(goal, now, PlanResolvedReasons.InvalidSelector, goal.SelectorError ?? "spec.planSelector is invalid");
        }

        var referencing = new List<PlanView>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            if (plan.Namespace != goal.Namespace || plan.GoalName != goal.Name) continue;
            if (!seen.Add(plan.Name)) throw new ArgumentException($"Plan {plan} appears more than once", nameof(plans));
            referencing.Add(plan);
        }

        if (referencing.Count == 0)
        {
            return Pending(goal, now, PlanResolvedReasons.NoPlanFound, $"no Plan in namespace \"{goal.Namespace}\" has spec.goalRef.name \"{goal.Name}\"");
        }

        var candidates = referencing.FindAll(p => goal.Selector.Matches(p.Labels));
        if (candidates.Count == 0)
        {
            return Pending(goal, now, PlanResolvedReasons.NoPlanMatchesSelector,
                $"{Count(referencing.Count, "Plan")} {(referencing.Count == 1 ? "references" : "reference")} this Goal but none matches spec.planSelector \"{goal.Selector}\": {List(referencing.Select(p => p.Name).Order(StringComparer.Ordinal).Select(Quote))}");
        }

        var heads = candidates.GroupBy(p => p.Series, StringComparer.Ordinal).Select(PlanRanking.Best).ToList();
        var supersededBy = SupersededBy(candidates);
        var superseded = heads.Where(h => supersededBy.ContainsKey(h.Name)).OrderBy(h => h.Name, StringComparer.Ordinal).ToImmutableArray();
        var remaining = heads.Where(h => !supersededBy.ContainsKey(h.Name)).ToList();
        var supersededNote = List(superseded.Select(h => $"{Quote(h.Name)} (by {string.Join(", ", supersededBy[h.Name].Select(Quote))})"));
        if (remaining.Count == 0)
        {
            var pending = Pending(goal, now, PlanResolvedReasons.NoPlanFound,
                $"{Count(candidates.Count, "candidate Plan")} in {Count(heads.Count, "series", "series")}, but every series is superseded: {supersededNote}");
            return pending with { Superseded = superseded };
        }

        var best = PlanRanking.Best(remaining);
        var message = new StringBuilder()
            .Append($"Plan {Quote(best.Name)} chosen ({VersionName(best.Version)}, {SeriesName(best.Series)}): the best of ")
            .Append($"{Count(remaining.Count, "series", "series")} from {Count(candidates.Count, "candidate Plan")}");
        if (superseded.Length > 0) message.Append($"; superseded: {supersededNote}");
        var invalid = candidates.Where(p => !p.Version.IsValid).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (invalid.Count > 0)
        {
            message.Append($"; {Count(invalid.Count, "Plan")} with an invalid spec.version, ranked lowest: ")
                .Append(List(invalid.Select(p => $"{Quote(p.Name)} ({p.Version.Error})")));
        }

        var status = new GoalStatus(
            new PlanRef(best.Name, best.Namespace),
            GoalPhase.Ready,
            goal.Generation,
            Condition(goal, now, ConditionStatus.True, PlanResolvedReasons.PlanFound, message.ToString()));
        return new GoalResolution(status, best, superseded);
    }

    /// <summary>
    /// The Goals whose resolution a change of one Plan can alter: the Goal its <c>spec.goalRef</c> named before and
    /// the one it names after (one key when they are the same, none when nothing the resolver reads changed).
    /// Pass null for a Plan that did not exist or could not be parsed (an unparsable Plan is no candidate).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="before"/> and <paramref name="after"/> are different Plans.</exception>
    public static IReadOnlyList<ResourceKey> AffectedGoals(PlanView? before, PlanView? after)
    {
        if (before is not null && after is not null)
        {
            if (before.Key != after.Key) throw new ArgumentException($"before is Plan {before} but after is Plan {after}", nameof(after));
            if (before.Equals(after)) return [];
            if (before.GoalKey != after.GoalKey) return before.GoalKey.CompareTo(after.GoalKey) < 0 ? [before.GoalKey, after.GoalKey] : [after.GoalKey, before.GoalKey];
        }

        return (before ?? after) is { } plan ? [plan.GoalKey] : [];
    }

    /// <summary>For each name in some candidate's <c>spec.supersedes</c>, the candidates naming it (ordinal order).</summary>
    private static Dictionary<string, SortedSet<string>> SupersededBy(List<PlanView> candidates)
    {
        var result = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var plan in candidates)
        {
            foreach (var name in plan.Supersedes)
            {
                if (name == plan.Name) continue;
                if (!result.TryGetValue(name, out var by)) result[name] = by = new SortedSet<string>(StringComparer.Ordinal);
                by.Add(plan.Name);
            }
        }

        return result;
    }

    private static GoalResolution Pending(GoalView goal, DateTimeOffset now, string reason, string message) =>
        new(new GoalStatus(null, GoalPhase.Pending, goal.Generation, Condition(goal, now, ConditionStatus.False, reason, message)), null, []);

    /// <summary>Keeps the previous transition time while the condition's status stays the same.</summary>
    private static StatusCondition Condition(GoalView goal, DateTimeOffset now, ConditionStatus status, string reason, string message)
    {
        var previous = goal.PreviousCondition;
        var since = previous is not null && previous.Status == status ? previous.LastTransitionTime : JsonFields.TruncateToSeconds(now);
        return new StatusCondition(PlanResolvedReasons.ConditionType, status, reason, message, since, goal.Generation);
    }

    private static string SeriesName(string series) => series.Length == 0 ? "default series" : $"series {Quote(series)}";

    private static string VersionName(PlanVersion version) => version.Text.Length == 0 ? "no version" : $"version {Quote(version.Text)}";

    private static string Quote(string text) => text.Length <= 64 ? $"\"{text}\"" : $"\"{text[..61]}...\"";

    private static string Count(int n, string singular, string? plural = null) => $"{n} {(n == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>At most <see cref="MaxListed"/> items, so a Goal with many Plans keeps a bounded message.</summary>
    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        var shown = string.Join(", ", all.Take(MaxListed));
        return all.Count > MaxListed ? $"{shown} and {all.Count - MaxListed} more" : shown;
    }
}
