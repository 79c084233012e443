using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>The answer to a write.</summary>
public sealed record WriteResult
{
    private readonly LazyJsonObject? _lazy;
    private readonly JsonObject? _object;

    /// <summary>Creates a result around an object already parsed (fakes and tests use this).</summary>
    /// <param name="outcome">What the write did.</param>
    /// <param name="resourceVersion">The resourceVersion of the write.</param>
    /// <param name="obj">The object after the write (before it, for a delete); null for a no-op delete.</param>
    /// <param name="rawObject">The object as UTF-8 JSON bytes; empty when <paramref name="obj"/> is null.</param>
    /// <param name="requestId">The idempotency key the write carried.</param>
    public WriteResult(WriteOutcome outcome, string resourceVersion, JsonObject? obj, ReadOnlyMemory<byte> rawObject, string requestId)
    {
        Outcome = outcome;
        ResourceVersion = resourceVersion;
        _object = obj;
        RawObject = rawObject;
        RequestId = requestId;
    }

    /// <summary>A result whose object is parsed from the server's bytes on first access.</summary>
    internal WriteResult(WriteOutcome outcome, string resourceVersion, ReadOnlyMemory<byte> rawObject, string requestId, string operation)
        : this(outcome, resourceVersion, null, rawObject, requestId)
    {
        if (!rawObject.IsEmpty) _lazy = new LazyJsonObject(rawObject, operation);
    }

    /// <summary>What the write did.</summary>
    public WriteOutcome Outcome { get; init; }

    /// <summary>
    /// The resourceVersion of the write (the Raft index that committed it; the current one for a no-op). Opaque: compare
    /// for equality or pass back to the server, never do arithmetic on it.
    /// </summary>
    public string ResourceVersion { get; init; }

    /// <summary>
    /// The object after the write (before it, for a delete); null for a no-op delete. Parsed from <see cref="RawObject"/>
    /// on first access, so a caller that never reads it never pays for it.
    /// </summary>
    /// <exception cref="ControlPlaneClientException">The server's bytes are not a JSON object (reason Internal).</exception>
    public JsonObject? Object => _object ?? _lazy?.Value;

    /// <summary>The object as the server's UTF-8 JSON bytes; empty when <see cref="Object"/> is null.</summary>
    public ReadOnlyMemory<byte> RawObject { get; init; }

    /// <summary>The idempotency key the write carried on every attempt.</summary>
    public string RequestId { get; init; }
}
