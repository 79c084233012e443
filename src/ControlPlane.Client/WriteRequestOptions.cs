namespace ControlPlane.Client;

/// <summary>Per-call settings of a write.</summary>
public sealed record WriteRequestOptions
{
    /// <summary>
    /// The idempotency key of the write. A write retried with the same id is applied at most once and answers its
    /// original result. When null the client makes a new GUID for the call and reuses it on every retry of that call;
    /// set it yourself to make a retry of your own (after a timeout, say) exactly-once too.
    /// </summary>
    public string? RequestId { get; init; }

    /// <summary>Why the write is made; null means <see cref="ControlPlaneClientOptions.DefaultWriteReason"/>.</summary>
    public WriteReason? Reason { get; init; }
}
