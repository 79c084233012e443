namespace ControlPlane.Core.Errors;

/// <summary>Error reasons shared by the store, the API and the SDK. One place maps them to gRPC codes.</summary>
public enum ErrorCode
{
    None = 0,
    NotFound = 1,
    AlreadyExists = 2,

    /// <summary>An expected resourceVersion did not match (optimistic concurrency).</summary>
    Conflict = 3,

    /// <summary>The request is malformed; nothing was changed.</summary>
    Invalid = 4,

    /// <summary>No leader, or the node cannot serve right now; safe to retry elsewhere.</summary>
    Unavailable = 5,

    /// <summary>A watch or read position is older than the retained history.</summary>
    Expired = 6,
    ResourceExhausted = 7,
    FailedPrecondition = 8,
    Unauthenticated = 9,
    PermissionDenied = 10,
    DeadlineExceeded = 11,
    Internal = 12,
}
