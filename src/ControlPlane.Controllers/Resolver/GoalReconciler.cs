using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// The resolver controller: for one Goal, reads it and the Plans that name it (from the <see cref="PlanIndex"/> the
/// Plan informer keeps), resolves the active Plan and writes the Goal's status (conditional on the Goal it read) only
/// when the status would change.
/// </summary>
public sealed class GoalReconciler(IResourceStore store, TimeProvider time, ILogger<GoalReconciler> logger) : IReconciler
{
    public const string ControllerName = "resolver";

    private readonly ControllerWriter _writer = new(store, ControllerName);
    private readonly PlanIndex _plans = new(logger);

    /// <summary>
    /// The controller: Goals by their own key, Plans mapped to the Goals they point at before and after. The Plan
    /// informer's lists and changes also keep <see cref="PlanIndex"/>, so reconciles never list Plans.
    /// </summary>
    public ControllerDefinition Definition() => new()
    {
        Name = ControllerName,
        Reconciler = this,
        Watches =
        [
            WatchSource.For(PlanningKinds.Goal),
            WatchSource.Mapped(PlanningKinds.Plan, _plans.Apply) with { Listed = _plans.Replace },
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

        var resolution = PlanResolver.Resolve(view, _plans.PlansFor(key), time.GetUtcNow());
        if (!resolution.Status.DiffersFrom(view.Status)) return ReconcileResult.Done;
        await _writer.UpdateStatusAsync(goal, resolution.Status.ToStatusJson(view.Status), cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }
}
