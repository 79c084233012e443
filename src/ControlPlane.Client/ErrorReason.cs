namespace ControlPlane.Client;

/// <summary>Why a call failed. The names match the server's reasons (trailer <c>cp-error-reason</c>).</summary>
public enum ErrorReason
{
    /// <summary>The server named no reason the SDK knows and the status code maps to none.</summary>
    Unknown = 0,

    /// <summary>The object does not exist.</summary>
    NotFound = 1,

    /// <summary>An object of that name already exists.</summary>
    AlreadyExists = 2,

    /// <summary>The expected resourceVersion did not match the stored one (optimistic concurrency).</summary>
    Conflict = 3,

    /// <summary>The request is malformed; nothing was changed.</summary>
    Invalid = 4,

    /// <summary>No leader, or no member could serve the call in time; safe to retry.</summary>
    Unavailable = 5,

    /// <summary>A read or watch position is older than the retained history.</summary>
    Expired = 6,

    /// <summary>A size or rate limit was hit.</summary>
    ResourceExhausted = 7,

    /// <summary>The system is not in a state that allows the operation.</summary>
    FailedPrecondition = 8,

    /// <summary>The caller is not authenticated.</summary>
    Unauthenticated = 9,

    /// <summary>The caller may not do this.</summary>
    PermissionDenied = 10,

    /// <summary>The call ran out of time; a write's outcome is then indeterminate.</summary>
    DeadlineExceeded = 11,

    /// <summary>The server failed.</summary>
    Internal = 12,
}
