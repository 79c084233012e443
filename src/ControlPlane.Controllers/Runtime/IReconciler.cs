using ControlPlane.Core.Resources;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// Drives one object towards its desired state. Called with a key, never with an object: read the current
/// state from the store, decide, write through <see cref="ControllerWriter"/>. Must be idempotent (the same
/// key can be reconciled any number of times) and must write nothing when nothing needs to change.
/// </summary>
/// <remarks>
/// The runtime never runs two reconciles of one key at once. The token is cancelled when this node stops
/// leading; a reconcile should then stop promptly (its writes would be refused anyway). A thrown exception is
/// a retry with backoff; a <see cref="Core.Errors.ErrorCode.Conflict"/>, NotFound or AlreadyExists from a write
/// means the object moved under the reconciler: the key is re-read and requeued, which is not an error.
/// </remarks>
public interface IReconciler
{
    ValueTask<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken);
}
