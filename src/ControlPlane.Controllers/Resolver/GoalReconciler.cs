using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// The resolver controller: for one Goal, reads it and the Plans of its namespace, resolves the active Plan
/// and writes the Goal's status (conditional on the Goal it read) only when the status would change.
/// </summary>
public sealed partial class GoalReconciler(IResourceStore store, TimeProvider time, ILogger<GoalReconciler> logger) : IReconciler
{
    public const string ControllerName = "resolver";

    private readonly ControllerWriter _writer = new(store, ControllerName);

    /// <summary>The controller: Goals by their own key, Plans mapped to the Goals they point at before and after.</summary>
    public ControllerDefinition Definition() => new()
    {
        Name = ControllerName,
        Reconciler = this,
        Watches =
        [
            WatchSource.For(PlanningKinds.Goal),
            WatchSource.Mapped(PlanningKinds.Plan, (before, after) => PlanResolver.AffectedGoals(Parse(before), Parse(after))),
        ],
    };

    public async ValueTask<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        // Local reads are safe here: the runtime runs only on the leader after its barrier, and the status write
        // below is conditional on the Goal's resourceVersion, so a stale read ends in a Conflict and a requeue.
        var (goal, _) = await store.GetAsync(key, ReadConsistency.Local, cancellationToken).ConfigureAwait(false);
        if (goal is null) return ReconcileResult.Done;
        if (!GoalView.TryParse(goal.ToJsonObject(), out var view, out var goalError))
        {
            return ReconcileResult.Terminal($"Goal {key.Namespace}/{key.Name} is malformed: {goalError}");
        }

        var plans = await store.ListAsync(new ListQuery { Kind = PlanningKinds.Plan, Namespace = key.Namespace }, ReadConsistency.Local, cancellationToken).ConfigureAwait(false);
        var candidates = new List<PlanView>(plans.Items.Count);
        foreach (var plan in plans.Items)
        {
            if (PlanView.TryParse(plan.ToJsonObject(), out var planView, out var planError)) candidates.Add(planView);
            else LogSkippedPlan(plan.Key.Namespace, plan.Key.Name, planError);
        }

        var resolution = PlanResolver.Resolve(view, candidates, time.GetUtcNow());
        if (!resolution.Status.DiffersFrom(view.Status)) return ReconcileResult.Done;
        await _writer.UpdateStatusAsync(goal, resolution.Status.ToStatusJson(view.Status), cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private static PlanView? Parse(StoredResource? plan) =>
        plan is not null && PlanView.TryParse(plan.ToJsonObject(), out var view, out _) ? view : null;

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Skipping malformed Plan {Namespace}/{Name}: {Error}")]
    private partial void LogSkippedPlan(string @namespace, string name, string error);
}
