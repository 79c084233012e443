using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Store;

/// <summary>Which mutation a <see cref="WriteRequest"/> asks for.</summary>
public enum WriteKind : byte
{
    /// <summary>Create or replace. With <see cref="WriteRequest.CreateOnly"/>, fails AlreadyExists when present.</summary>
    Put = 1,

    /// <summary>RFC 7386 JSON merge patch of an existing resource.</summary>
    Patch = 2,

    /// <summary>Idempotent delete.</summary>
    Delete = 3,

    /// <summary>Replace .status only; never bumps generation.</summary>
    UpdateStatus = 4,
}

/// <summary>
/// A write as a client asks for it, before the leader stamps uid and time into a command.
/// <see cref="Body"/> is UTF-8 JSON: the object for Put, the merge patch for Patch, the new status for
/// UpdateStatus (empty: no status) and empty for Delete. It is carried as bytes, as the client sent them, so the
/// leader copies them into the command without building and re-serializing a tree.
/// </summary>
public sealed record WriteRequest
{
    public required WriteKind Kind { get; init; }

    public required ResourceKey Key { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>0 means unconditional.</summary>
    public long ExpectedResourceVersion { get; init; }

    public bool CreateOnly { get; init; }

    public Reason Reason { get; init; } = Reason.Operator;

    /// <summary>Idempotency key; empty means "not deduplicated".</summary>
    public string RequestId { get; init; } = string.Empty;

    public string Principal { get; init; } = "anonymous";

    /// <summary>The UTF-8 JSON of <paramref name="node"/> for <see cref="Body"/>; empty for null.</summary>
    public static ReadOnlyMemory<byte> Json(JsonNode? node) => node is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(node);
}
