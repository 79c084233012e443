using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;

namespace ControlPlane.Storage.State;

/// <summary>The remembered outcome of a write with a request id, so a retry answers the same (P8).</summary>
public sealed record RequestRecord(
    string RequestId,
    long TimestampMs,
    ResourceKey Key,
    WriteOutcome Outcome,
    ErrorCode Error,
    string Message,
    long ResourceVersion);
