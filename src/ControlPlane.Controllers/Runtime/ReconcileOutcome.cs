namespace ControlPlane.Controllers.Runtime;

/// <summary>What a reconcile asks the runtime to do with its key next.</summary>
public enum ReconcileOutcome : byte
{
    /// <summary>Converged: forget the key's failures; it runs again only when something changes (or at resync).</summary>
    Done = 1,

    /// <summary>Converged for now; look again after a delay (for example to poll something outside the store).</summary>
    RequeueAfter = 2,

    /// <summary>Failed in a way that may pass: requeue with per-key exponential backoff under the rate limit.</summary>
    Retry = 3,

    /// <summary>Failed in a way that retrying cannot fix: drop the key until the object changes again.</summary>
    Terminal = 4,
}
