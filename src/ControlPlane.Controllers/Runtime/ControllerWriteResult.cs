using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Controllers.Runtime;

/// <summary>The outcome of a successful <see cref="ControllerWriter"/> call.</summary>
public sealed record ControllerWriteResult
{
    /// <summary>False when nothing was sent (the write would change nothing).</summary>
    public required bool WasSent { get; init; }

    /// <summary>The store's answer when the write was sent.</summary>
    public WriteResult? Result { get; init; }

    /// <summary>
    /// The object as it stands after the write: the observed object when nothing was sent or nothing changed, the
    /// written object otherwise; null after a delete, or when a replayed answer no longer matches the stored version.
    /// </summary>
    public StoredResource? Object { get; init; }

    /// <summary>True when the store changed (not a no-op); a retried write answered from the request table counts.</summary>
    public bool Changed => Result is { Outcome: not WriteOutcome.NoOp };

    internal static ControllerWriteResult Unchanged(StoredResource observed) => new() { WasSent = false, Object = observed };

    internal static ControllerWriteResult Sent(WriteResult result) => new() { WasSent = true, Result = result, Object = result.Outcome == WriteOutcome.Deleted ? null : result.Object };
}
