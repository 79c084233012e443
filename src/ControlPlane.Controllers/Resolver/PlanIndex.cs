using ControlPlane.Core.Resources;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// The resolver's cache of Plans: every Plan the runtime's Plan informer has seen, parsed once per resourceVersion and
/// indexed by the Goal its <c>spec.goalRef.name</c> names, so that a reconcile reads the few Plans of its Goal instead
/// of listing and parsing the whole namespace. The informer feeds it: <see cref="Replace"/> with every (re)list, then
/// <see cref="Apply"/> for each change, before the change's Goals are queued, so a reconcile a Plan change queued
/// always finds that change here.
/// </summary>
/// <remarks>
/// Like controller-runtime's cache, the index can trail the store by the changes still in flight to the informer;
/// that is safe because the change that is missing queues its Goals again once it arrives, and every status write is
/// conditional on the Goal read. Malformed Plans are no candidates; each is logged once per resourceVersion.
/// </remarks>
public sealed partial class PlanIndex(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceKey, Entry> _plans = [];
    private readonly Dictionary<ResourceKey, Dictionary<ResourceKey, PlanView>> _byGoal = [];

    /// <summary>How many Plans the index holds, malformed ones included.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _plans.Count;
        }
    }

    /// <summary>The well-formed Plans whose <c>spec.goalRef.name</c> names <paramref name="goal"/>, by name.</summary>
    /// <param name="goal">The Goal's key.</param>
    public IReadOnlyList<PlanView> PlansFor(ResourceKey goal)
    {
        lock (_gate)
        {
            return _byGoal.TryGetValue(goal, out var plans)
                ? [.. plans.Values.OrderBy(p => p.Name, StringComparer.Ordinal)]
                : [];
        }
    }

    /// <summary>Replaces the content with a (re)list's Plans, reusing the parse of each Plan whose resourceVersion is unchanged.</summary>
    /// <param name="plans">Every Plan the list returned.</param>
    public void Replace(IReadOnlyList<StoredResource> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        lock (_gate)
        {
            var previous = new Dictionary<ResourceKey, Entry>(_plans);
            _plans.Clear();
            _byGoal.Clear();
            foreach (var plan in plans)
            {
                Store(previous.TryGetValue(plan.Key, out var known) && known.ResourceVersion == plan.ResourceVersion ? known : Parse(plan));
            }
        }
    }

    /// <summary>
    /// Records one change and returns the Goals it can affect (the runtime's <see cref="Runtime.ChangeMapper"/>):
    /// <paramref name="before"/> null means listed, added or resynced (the Plan's Goal is returned even when nothing
    /// changed), <paramref name="after"/> null means deleted.
    /// </summary>
    /// <param name="before">The Plan before the change, or null.</param>
    /// <param name="after">The Plan after the change, or null.</param>
    public IReadOnlyList<ResourceKey> Apply(StoredResource? before, StoredResource? after)
    {
        if ((after ?? before) is not { } changed) return [];
        lock (_gate)
        {
            var known = _plans.TryGetValue(changed.Key, out var entry) ? entry : null;
            // What reconciles saw until now: the indexed parse when it is the version the change starts from, otherwise the
            // change's previous object (the index missed it, or a relist already stored the new version: the informer
            // replaces the index before it maps the relist's differences).
            var old = before is null ? null : known is not null && known.ResourceVersion == before.ResourceVersion ? known.View : Parse(before).View;
            if (known is not null) Remove(known);
            if (after is null) return PlanResolver.AffectedGoals(old, null);

            var current = known is not null && known.ResourceVersion == after.ResourceVersion ? known : Parse(after);
            Store(current);
            return PlanResolver.AffectedGoals(old, current.View);
        }
    }

    private Entry Parse(StoredResource plan)
    {
        if (PlanView.TryParse(plan.ToJsonObject(), out var view, out var error)) return new Entry(plan.Key, plan.ResourceVersion, view);
        LogSkippedPlan(plan.Key.Namespace, plan.Key.Name, plan.ResourceVersion, error);
        return new Entry(plan.Key, plan.ResourceVersion, null);
    }

    private void Store(Entry entry)
    {
        _plans[entry.Key] = entry;
        if (entry.View is not { } view) return;
        if (!_byGoal.TryGetValue(view.GoalKey, out var plans)) _byGoal[view.GoalKey] = plans = [];
        plans[entry.Key] = view;
    }

    private void Remove(Entry entry)
    {
        _plans.Remove(entry.Key);
        if (entry.View is not { } view || !_byGoal.TryGetValue(view.GoalKey, out var plans)) return;
        plans.Remove(entry.Key);
        if (plans.Count == 0) _byGoal.Remove(view.GoalKey);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Skipping malformed Plan {Namespace}/{Name} at resourceVersion {ResourceVersion}: {Error}")]
    private partial void LogSkippedPlan(string @namespace, string name, long resourceVersion, string error);

    private sealed record Entry(ResourceKey Key, long ResourceVersion, PlanView? View);
}
