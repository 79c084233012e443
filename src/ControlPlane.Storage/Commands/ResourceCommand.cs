using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Storage.Commands;

/// <summary>
/// A write as it is replicated: the client's <see cref="WriteRequest"/> plus everything the leader stamps
/// so that apply reads no clock, random number or configuration: the uid a create would assign, the time,
/// and the object size limit in force.
/// </summary>
public sealed record ResourceCommand
{
    public required WriteKind Kind { get; init; }

    public required ResourceKey Key { get; init; }

    /// <summary>UTF-8 JSON: the object (Put), the merge patch (Patch), the new status (UpdateStatus); empty for Delete.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    public long ExpectedResourceVersion { get; init; }

    public bool CreateOnly { get; init; }

    public Reason Reason { get; init; } = Reason.Operator;

    public string RequestId { get; init; } = string.Empty;

    public string Principal { get; init; } = string.Empty;

    /// <summary>The uid a create assigns; stamped by the leader.</summary>
    public required string Uid { get; init; }

    /// <summary>Unix milliseconds, stamped by the leader; used for creationTimestamp and request-id expiry.</summary>
    public required long TimestampMs { get; init; }

    /// <summary>The object size limit the leader enforces, carried so every replica decides identically.</summary>
    public required int MaxObjectBytes { get; init; }

    /// <summary>How a command says "no status": the JSON literal, as every earlier version wrote it.</summary>
    private static readonly ReadOnlyMemory<byte> NullJson = "null"u8.ToArray();

    /// <summary>Builds a command from a client request; the caller (the leader) supplies the stamps.</summary>
    public static ResourceCommand FromRequest(WriteRequest request, string uid, long timestampMs, int maxObjectBytes) => new()
    {
        Kind = request.Kind,
        Key = request.Key,
        Body = request.Body.IsEmpty && request.Kind == WriteKind.UpdateStatus ? NullJson : request.Body,
        ExpectedResourceVersion = request.ExpectedResourceVersion,
        CreateOnly = request.CreateOnly,
        Reason = request.Reason,
        RequestId = request.RequestId,
        Principal = request.Principal,
        Uid = uid,
        TimestampMs = timestampMs,
        MaxObjectBytes = maxObjectBytes,
    };
}
