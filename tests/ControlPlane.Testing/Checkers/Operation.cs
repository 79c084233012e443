using System.Text.Json.Serialization;

namespace ControlPlane.Testing.Checkers;

/// <summary>
/// One operation of a recorded history: what a client asked for one key, when (monotonic ticks of one clock in the
/// test process) and what it learned.
/// </summary>
public sealed record Operation
{
    /// <summary>Unique within the history.</summary>
    public required long Id { get; init; }

    public required int ClientId { get; init; }

    public required string Key { get; init; }

    public required OperationKind Kind { get; init; }

    /// <summary>The value written by Write, ConditionalWrite and Create; null for Read and Delete.</summary>
    public string? Value { get; init; }

    /// <summary>The expected resourceVersion of a ConditionalWrite (required) or a Delete (optional).</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>The idempotency key the client sent, if any (exactly-once checking).</summary>
    public string? RequestId { get; init; }

    public required long InvokeTicks { get; init; }

    /// <summary>When the client got its answer; null when it never did. Ignored for indeterminate operations, which may take effect at any time after they were invoked.</summary>
    public long? CompleteTicks { get; init; }

    public required OperationOutcome Outcome { get; init; }

    /// <summary>For <see cref="OperationOutcome.Failed"/>: why.</summary>
    public FailureReason Failure { get; init; }

    /// <summary>Free text for people (the error message); never interpreted.</summary>
    public string? Error { get; init; }

    /// <summary>For an Ok read: the value seen, null when the key was absent.</summary>
    public string? OutputValue { get; init; }

    /// <summary>
    /// For an Ok read: the resourceVersion seen (null when absent). For an Ok write: the resourceVersion returned.
    /// For a Failed write: the current resourceVersion the server reported with the failure (0 for absent), if any.
    /// </summary>
    public long? OutputVersion { get; init; }

    /// <summary>The server answered NO_OP: a write identical to the stored object, or a delete of an absent key.</summary>
    public bool NoOp { get; init; }

    /// <summary>True for the kinds that can change the key (everything but Read).</summary>
    [JsonIgnore]
    public bool IsMutation => Kind != OperationKind.Read;

    /// <summary>True for the kinds that carry a value (Write, ConditionalWrite, Create).</summary>
    [JsonIgnore]
    public bool WritesValue => Kind is OperationKind.Write or OperationKind.ConditionalWrite or OperationKind.Create;
}
