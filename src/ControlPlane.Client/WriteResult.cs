using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>The answer to a write.</summary>
/// <param name="Outcome">What the write did.</param>
/// <param name="ResourceVersion">
/// The resourceVersion of the write (the Raft index that committed it; the current one for a no-op). Opaque: compare
/// for equality or pass back to the server, never do arithmetic on it.
/// </param>
/// <param name="Object">The object after the write (before it, for a delete); null for a no-op delete.</param>
/// <param name="RawObject">The object as the server's UTF-8 JSON bytes; empty when <paramref name="Object"/> is null.</param>
/// <param name="RequestId">The idempotency key the write carried on every attempt.</param>
public sealed record WriteResult(
    WriteOutcome Outcome,
    string ResourceVersion,
    JsonObject? Object,
    ReadOnlyMemory<byte> RawObject,
    string RequestId);
