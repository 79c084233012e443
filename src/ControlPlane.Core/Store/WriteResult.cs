using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Store;

/// <summary>
/// What applying a write produced. Business failures are values, decided deterministically by the state
/// machine: <see cref="Error"/> is <see cref="ErrorCode.None"/> on success.
/// </summary>
public sealed record WriteResult
{
    public WriteOutcome Outcome { get; init; }

    public ErrorCode Error { get; init; }

    public string Message { get; init; } = string.Empty;

    /// <summary>The object after the write; the removed object for Deleted; null for a failed write or a NoOp delete.</summary>
    public StoredResource? Object { get; init; }

    /// <summary>The index that committed the write, or for a failure the current resourceVersion of the object (0 if absent).</summary>
    public long ResourceVersion { get; init; }

    /// <summary>True when this is the remembered answer to a retried request id.</summary>
    public bool Replayed { get; init; }

    public bool Succeeded => Error == ErrorCode.None;

    /// <summary>Throws the matching <see cref="ControlPlaneException"/> when the write failed.</summary>
    public WriteResult EnsureSuccess()
    {
        if (Succeeded) return this;
        throw new ControlPlaneException(Error, Message)
        {
            CurrentResourceVersion = Error is ErrorCode.Conflict or ErrorCode.AlreadyExists ? ResourceVersion : null,
        };
    }
}
