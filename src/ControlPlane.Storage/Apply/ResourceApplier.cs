using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Json;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Core.Validation;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.State;

namespace ControlPlane.Storage.Apply;

/// <summary>
/// Applies one command to a state: a pure, total function. It reads no clock, random number or
/// configuration (everything comes in the command), and business failures (NotFound, AlreadyExists,
/// Conflict, Invalid) are result values, so every replica computes the same state and the same answer.
/// </summary>
public static class ResourceApplier
{
    /// <summary>How deeply a stored object may nest: what <see cref="ObjectValidator.ParseObject"/> accepts and the serializer writes.</summary>
    private const int MaxDepth = 64;

    /// <summary>The Unix milliseconds of 0001-01-01 and 9999-12-31T23:59:59.999Z, the dates creationTimestamp can show.</summary>
    private const long MinTimestampMs = -62_135_596_800_000;
    private const long MaxTimestampMs = 253_402_300_799_999;

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, MaxDepth = MaxDepth };

    public static ApplyOutcome Apply(StoreState state, long index, ResourceCommand command)
    {
        state = state.ExpireRequests(command.TimestampMs) with { AppliedIndex = index };
        if (command.RequestId.Length > 0 && state.Requests.TryGetValue(command.RequestId, out var seen))
        {
            return new ApplyOutcome(state, Replay(state, seen), null);
        }

        var existing = state.Find(command.Key);
        var (result, next) = command.Kind switch
        {
            WriteKind.Put => Put(existing, index, command),
            WriteKind.Patch => Patch(existing, index, command),
            WriteKind.UpdateStatus => UpdateStatus(existing, index, command),
            WriteKind.Delete => Delete(existing, index, command),
            _ => (Fail(ErrorCode.Invalid, $"unknown command kind {command.Kind}", existing), existing),
        };

        ResourceChange? change = null;
        if (result.Succeeded && result.Outcome != WriteOutcome.NoOp)
        {
            state = state.WithObject(command.Key, existing, next);
            change = new ResourceChange(index, existing, next);
        }

        if (command.RequestId.Length > 0)
        {
            state = state.WithRequest(new RequestRecord(
                command.RequestId, command.TimestampMs, command.Key, result.Outcome, result.Error, result.Message, result.ResourceVersion));
        }

        return new ApplyOutcome(state, result, change);
    }

    private static WriteResult Replay(StoreState state, RequestRecord seen)
    {
        var current = state.Find(seen.Key);
        return new WriteResult
        {
            Outcome = seen.Outcome,
            Error = seen.Error,
            Message = seen.Message,
            ResourceVersion = seen.ResourceVersion,
            // Like the original answer, a failure carries no object; a success carries it while it is still that version.
            Object = seen.Error == ErrorCode.None && current is not null && current.ResourceVersion == seen.ResourceVersion ? current : null,
            Replayed = true,
        };
    }

    private static (WriteResult, StoredResource?) Put(StoredResource? existing, long index, ResourceCommand command)
    {
        if (!TryParseObject(command, "object", out var body, out var invalid)) return (invalid, existing);
        if (existing is not null && command.CreateOnly)
        {
            return (Fail(ErrorCode.AlreadyExists, $"{Describe(command.Key)} already exists", existing), existing);
        }

        if (Precondition(existing, command) is { } failed) return (failed, existing);

        // Like a Kubernetes status subresource: a replace keeps the stored status; only a create takes it from the body.
        var previous = existing?.ToJsonObject();
        var status = previous is null ? body["status"] : previous["status"];
        return Write(existing, previous, index, command, body, status, existing is null ? WriteOutcome.Created : WriteOutcome.Replaced);
    }

    private static (WriteResult, StoredResource?) Patch(StoredResource? existing, long index, ResourceCommand command)
    {
        if (!TryParseObject(command, "merge patch", out var patch, out var invalid)) return (invalid, existing);
        if (existing is null) return (Fail(ErrorCode.NotFound, $"{Describe(command.Key)} not found", null), null);
        if (Precondition(existing, command) is { } failed) return (failed, existing);
        var previous = existing.ToJsonObject();
        if (JsonMergePatch.Apply(previous, patch) is not JsonObject merged)
        {
            return (Fail(ErrorCode.Invalid, "merge patch must produce a JSON object", existing), existing);
        }

        // A patch cannot change status (that is UpdateStatus's job), as with a Kubernetes status subresource.
        return Write(existing, previous, index, command, merged, previous["status"], WriteOutcome.Patched);
    }

    private static (WriteResult, StoredResource?) UpdateStatus(StoredResource? existing, long index, ResourceCommand command)
    {
        JsonNode? status;
        try
        {
            status = command.ParseBody();
        }
        catch (JsonException e)
        {
            return (Fail(ErrorCode.Invalid, $"status is not valid JSON: {e.Message}", existing), existing);
        }

        if (existing is null) return (Fail(ErrorCode.NotFound, $"{Describe(command.Key)} not found", null), null);
        if (Precondition(existing, command) is { } failed) return (failed, existing);
        var previous = existing.ToJsonObject();
        return Write(existing, previous, index, command, previous, status, WriteOutcome.StatusUpdated);
    }

    private static (WriteResult, StoredResource?) Delete(StoredResource? existing, long index, ResourceCommand command)
    {
        if (existing is null) return (new WriteResult { Outcome = WriteOutcome.NoOp, ResourceVersion = 0 }, null);
        if (Precondition(existing, command) is { } failed) return (failed, existing);
        return (new WriteResult { Outcome = WriteOutcome.Deleted, Object = existing, ResourceVersion = index }, null);
    }

    /// <summary>
    /// Builds the stored form of <paramref name="body"/>: validates it, fills in server-owned metadata and
    /// <paramref name="status"/>, bumps generation only when something outside metadata and status changed,
    /// and answers NoOp when the result equals what is stored.
    /// </summary>
    private static (WriteResult, StoredResource?) Write(
        StoredResource? existing, JsonObject? previous, long index, ResourceCommand command, JsonObject body, JsonNode? status, WriteOutcome outcome)
    {
        (ResourceKey Key, System.Collections.Frozen.FrozenDictionary<string, string> Labels) identity;
        try
        {
            identity = ObjectValidator.Validate(body);
        }
        catch (ControlPlaneException e)
        {
            return (Fail(ErrorCode.Invalid, e.Message, existing), existing);
        }

        if (identity.Key != command.Key)
        {
            return (Fail(ErrorCode.Invalid, $"the object is {Describe(identity.Key)} but the request names {Describe(command.Key)}; apiVersion, kind, namespace and name cannot change", existing), existing);
        }

        var generation = previous is null ? 1 : SpecEquals(body, previous) ? existing!.Generation : existing!.Generation + 1;
        var uid = existing?.Uid ?? command.Uid;
        var createdMs = existing?.CreationTimestampMs ?? command.TimestampMs;
        if (createdMs is < MinTimestampMs or > MaxTimestampMs)
        {
            return (Fail(ErrorCode.Invalid, $"the command's timestamp {createdMs} ms is not a representable date; the leader's clock is wrong", existing), existing);
        }

        var candidate = Compose(body, previous, status, uid, existing?.ResourceVersion ?? index, generation, createdMs);
        if (previous is not null && JsonNode.DeepEquals(candidate, previous))
        {
            return (new WriteResult { Outcome = WriteOutcome.NoOp, Object = existing, ResourceVersion = existing!.ResourceVersion }, existing);
        }

        candidate["metadata"]!["resourceVersion"] = index.ToString(CultureInfo.InvariantCulture);
        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(candidate, Compact);
        }
        catch (JsonException)
        {
            // Each part was parsed within the limit, but a status is nested one level below the object's root.
            return (Fail(ErrorCode.Invalid, $"the object is nested more than {MaxDepth} levels deep", existing), existing);
        }

        if (json.Length > command.MaxObjectBytes)
        {
            return (Fail(ErrorCode.Invalid, $"the object is {json.Length} bytes, over the limit of {command.MaxObjectBytes} bytes", existing), existing);
        }

        var stored = new StoredResource(command.Key, uid, index, generation, createdMs, identity.Labels, json);
        return (new WriteResult { Outcome = outcome, Object = stored, ResourceVersion = index }, stored);
    }

    /// <summary>
    /// Lays the object out in a fixed order with server-owned metadata: apiVersion, kind, metadata, the rest, status.
    /// Parts parsed for this command alone (the body, a merged patch, a new status) move into the result; parts of
    /// <paramref name="previous"/>, the stored object the caller compares the result with, are copied.
    /// </summary>
    private static JsonObject Compose(JsonObject body, JsonObject? previous, JsonNode? status, string uid, long resourceVersion, long generation, long createdMs)
    {
        var source = (JsonObject)body["metadata"]!;
        var metadata = new JsonObject { ["name"] = source["name"]!.DeepClone() };
        if (source["namespace"] is { } ns && ns.GetValue<string>().Length > 0) metadata["namespace"] = ns.DeepClone();
        metadata["uid"] = uid;
        metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        metadata["generation"] = generation;
        metadata["creationTimestamp"] = FormatTimestamp(createdMs);
        if (source["labels"] is JsonObject { Count: > 0 } labels) metadata["labels"] = Take(labels, previous);
        if (source["annotations"] is JsonObject { Count: > 0 } annotations) metadata["annotations"] = Take(annotations, previous);

        var result = new JsonObject
        {
            ["apiVersion"] = body["apiVersion"]!.DeepClone(),
            ["kind"] = body["kind"]!.DeepClone(),
            ["metadata"] = metadata,
        };
        foreach (var (name, value) in body.ToArray()) // a copy of the list: Take detaches owned members from body
        {
            if (name is "apiVersion" or "kind" or "metadata" or "status") continue;
            result[name] = value is null ? null : Take(value, previous);
        }

        if (status is not null) result["status"] = Take(status, previous);
        return result;
    }

    /// <summary>A copy of a part of the stored object; any other node itself, detached from its parent.</summary>
    private static JsonNode Take(JsonNode node, JsonObject? previous)
    {
        if (previous is not null && ReferenceEquals(node.Root, previous)) return node.DeepClone();
        (node.Parent as JsonObject)?.Remove(node.GetPropertyName());
        return node;
    }

    /// <summary>True when every field outside metadata and status is equal.</summary>
    private static bool SpecEquals(JsonObject a, JsonObject b)
    {
        var countA = 0;
        foreach (var (name, value) in a)
        {
            if (name is "metadata" or "status") continue;
            countA++;
            if (!b.TryGetPropertyValue(name, out var other) || !JsonNode.DeepEquals(value, other)) return false;
        }

        var countB = 0;
        foreach (var (name, _) in b)
        {
            if (name is not ("metadata" or "status")) countB++;
        }

        return countA == countB;
    }

    private static WriteResult? Precondition(StoredResource? existing, ResourceCommand command)
    {
        if (command.ExpectedResourceVersion == 0) return null;
        if (existing is null)
        {
            return Fail(ErrorCode.NotFound, $"{Describe(command.Key)} not found (expected resourceVersion {command.ExpectedResourceVersion})", null);
        }

        return existing.ResourceVersion == command.ExpectedResourceVersion
            ? null
            : Fail(ErrorCode.Conflict, $"{Describe(command.Key)} has resourceVersion {existing.ResourceVersion}, not the expected {command.ExpectedResourceVersion}; read it again and retry", existing);
    }

    private static bool TryParseObject(ResourceCommand command, string what, out JsonObject body, out WriteResult invalid)
    {
        body = null!;
        invalid = null!;
        JsonNode? node;
        try
        {
            node = command.ParseBody();
        }
        catch (JsonException e)
        {
            invalid = Fail(ErrorCode.Invalid, $"{what} is not valid JSON: {e.Message}", null);
            return false;
        }

        if (node is JsonObject parsed)
        {
            body = parsed;
            return true;
        }

        invalid = Fail(ErrorCode.Invalid, command.Body.IsEmpty ? $"{what} is empty" : $"{what} must be a JSON object, got {ObjectValidator.Describe(node)}", null);
        return false;
    }

    private static WriteResult Fail(ErrorCode code, string message, StoredResource? current) =>
        new() { Error = code, Message = message, ResourceVersion = current?.ResourceVersion ?? 0 };

    private static string Describe(ResourceKey key) =>
        key.Namespace.Length == 0 ? $"{key.Kind} \"{key.Name}\"" : $"{key.Kind} \"{key.Namespace}/{key.Name}\"";

    public static string FormatTimestamp(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
