using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
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
    /// <summary>How deeply a stored object may nest: what <see cref="ObjectValidator.ParseDocument"/> accepts and the serializer writes.</summary>
    private const int MaxDepth = 64;

    /// <summary>The Unix milliseconds of 0001-01-01 and 9999-12-31T23:59:59.999Z, the dates creationTimestamp can show.</summary>
    private const long MinTimestampMs = -62_135_596_800_000;
    private const long MaxTimestampMs = 253_402_300_799_999;

    /// <summary>How creationTimestamp is written: RFC 3339 in UTC, whole seconds, as Kubernetes shows it.</summary>
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>How a stored object (written by this class, at most <see cref="MaxDepth"/> deep) is parsed back.</summary>
    private static readonly JsonDocumentOptions StoredOptions = new() { MaxDepth = MaxDepth };

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
        if (!TryParseDocument(command, "object", objectOnly: true, out var body, out var invalid)) return (invalid, existing);
        using (body)
        {
            if (existing is not null && command.CreateOnly)
            {
                return (Fail(ErrorCode.AlreadyExists, $"{Describe(command.Key)} already exists", existing), existing);
            }

            if (Precondition(existing, command) is { } failed) return (failed, existing);

            // Like a Kubernetes status subresource: a replace keeps the stored status; only a create takes it from the body.
            using var previous = existing is null ? null : JsonDocument.Parse(existing.Json, StoredOptions);
            var status = Member(previous is null ? body!.RootElement : previous.RootElement, "status"u8);
            return Write(existing, previous, index, command, body!.RootElement, status, existing is null ? WriteOutcome.Created : WriteOutcome.Replaced);
        }
    }

    private static (WriteResult, StoredResource?) Patch(StoredResource? existing, long index, ResourceCommand command)
    {
        if (!TryParseDocument(command, "merge patch", objectOnly: true, out var patch, out var invalid)) return (invalid, existing);
        using (patch)
        {
            if (existing is null) return (Fail(ErrorCode.NotFound, $"{Describe(command.Key)} not found", null), null);
            if (Precondition(existing, command) is { } failed) return (failed, existing);
            return Patch(existing, index, command, patch!);
        }
    }

    private static (WriteResult, StoredResource?) Patch(StoredResource existing, long index, ResourceCommand command, JsonDocument patch)
    {
        // The stored object is parsed once: the merge reads it through a tree over the same document.
        using var previous = JsonDocument.Parse(existing.Json, StoredOptions);
        if (JsonMergePatch.Apply(JsonObject.Create(previous.RootElement), JsonObject.Create(patch.RootElement)) is not JsonObject merged)
        {
            return (Fail(ErrorCode.Invalid, "merge patch must produce a JSON object", existing), existing);
        }

        // The merge is the one step done on a mutable tree; the result is validated and laid out like a Put's body.
        if (WriteJson(merged, static (writer, tree) => tree.WriteTo(writer), out var mergedJson) is { } unwritable)
        {
            return (Fail(ErrorCode.Invalid, unwritable, existing), existing);
        }

        using var body = JsonDocument.Parse(mergedJson, StoredOptions);

        // A patch cannot change status (that is UpdateStatus's job), as with a Kubernetes status subresource.
        return Write(existing, previous, index, command, body.RootElement, Member(previous.RootElement, "status"u8), WriteOutcome.Patched);
    }

    private static (WriteResult, StoredResource?) UpdateStatus(StoredResource? existing, long index, ResourceCommand command)
    {
        if (!TryParseDocument(command, "status", objectOnly: false, out var status, out var invalid)) return (invalid with { ResourceVersion = existing?.ResourceVersion ?? 0 }, existing);
        using (status)
        {
            if (existing is null) return (Fail(ErrorCode.NotFound, $"{Describe(command.Key)} not found", null), null);
            if (Precondition(existing, command) is { } failed) return (failed, existing);
            using var previous = JsonDocument.Parse(existing.Json, StoredOptions);
            return Write(existing, previous, index, command, previous.RootElement, status?.RootElement ?? default, WriteOutcome.StatusUpdated);
        }
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
    /// and answers NoOp when the result equals what is stored. Works on parsed documents and writes the result
    /// once: no mutable tree is built, copied or compared.
    /// </summary>
    private static (WriteResult, StoredResource?) Write(
        StoredResource? existing, JsonDocument? previous, long index, ResourceCommand command, JsonElement body, JsonElement status, WriteOutcome outcome)
    {
        (ResourceKey Key, System.Collections.Frozen.FrozenDictionary<string, string> Labels) identity;
        try
        {
            // An unchanged label set keeps the stored dictionary: one copy in memory however often the object is written.
            identity = ObjectValidator.Validate(body, existing?.Labels, existing?.Key);
        }
        catch (ControlPlaneException e)
        {
            return (Fail(ErrorCode.Invalid, e.Message, existing), existing);
        }

        if (identity.Key != command.Key)
        {
            return (Fail(ErrorCode.Invalid, $"the object is {Describe(identity.Key)} but the request names {Describe(command.Key)}; apiVersion, kind, namespace and name cannot change", existing), existing);
        }

        var sameSpec = previous is not null && SpecEquals(body, previous.RootElement);
        var generation = previous is null ? 1 : sameSpec ? existing!.Generation : existing!.Generation + 1;
        var uid = existing?.Uid ?? command.Uid;
        var createdMs = existing?.CreationTimestampMs ?? command.TimestampMs;
        if (createdMs is < MinTimestampMs or > MaxTimestampMs)
        {
            return (Fail(ErrorCode.Invalid, $"the command's timestamp {createdMs} ms is not a representable date; the leader's clock is wrong", existing), existing);
        }

        var layout = new Layout(body, status, uid, generation, createdMs);
        if (sameSpec && MayEqual(layout, previous!.RootElement) && layout.WritesSameAs(existing!.ResourceVersion, previous.RootElement))
        {
            return (new WriteResult { Outcome = WriteOutcome.NoOp, Object = existing, ResourceVersion = existing.ResourceVersion }, existing);
        }

        if (layout.Write(index, out var json) is { } unwritable) return (Fail(ErrorCode.Invalid, unwritable, existing), existing);

        if (json.Length > command.MaxObjectBytes)
        {
            return (Fail(ErrorCode.Invalid, $"the object is {json.Length} bytes, over the limit of {command.MaxObjectBytes} bytes", existing), existing);
        }

        var stored = new StoredResource(command.Key, uid, index, generation, createdMs, identity.Labels, json);
        return (new WriteResult { Outcome = outcome, Object = stored, ResourceVersion = index }, stored);
    }

    /// <summary>
    /// The cheap half of the NoOp test: with the spec equal, the result can equal the stored object only when the
    /// labels, the annotations and the status do. The full comparison runs only when this says it may.
    /// </summary>
    private static bool MayEqual(Layout layout, JsonElement previous)
    {
        var metadata = Member(previous, "metadata"u8);
        return MemberEquals(layout.Labels, Member(metadata, "labels"u8))
            && MemberEquals(layout.Annotations, Member(metadata, "annotations"u8))
            && MemberEquals(layout.Status, Member(previous, "status"u8));
    }

    /// <summary>Equal when both are absent (JSON null counts as absent) or both are present and deeply equal.</summary>
    private static bool MemberEquals(JsonElement a, JsonElement b)
    {
        var hasA = a.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        var hasB = b.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        return hasA == hasB && (!hasA || Same(a, b));
    }

    /// <summary>
    /// The stored layout of an object: apiVersion, kind, metadata (name, namespace, uid, resourceVersion, generation,
    /// creationTimestamp, labels, annotations), the body's other fields in their order, status. Written straight from
    /// the parsed parts, with the serializer's own encoder, so the bytes are the ones a tree would have produced.
    /// </summary>
    private readonly struct Layout(JsonElement body, JsonElement status, string uid, long generation, long createdMs)
    {
        private JsonElement Metadata => Member(body, "metadata"u8);

        /// <summary>The labels to store: absent when the body's are absent, null or empty.</summary>
        public JsonElement Labels => NonEmpty(Member(Metadata, "labels"u8));

        public JsonElement Annotations => NonEmpty(Member(Metadata, "annotations"u8));

        public JsonElement Status => status.ValueKind == JsonValueKind.Null ? default : status;

        /// <summary>Lays the object out with <paramref name="resourceVersion"/>; null, or why it cannot be stored.</summary>
        public string? Write(long resourceVersion, out byte[] json) =>
            WriteJson((Layout: this, resourceVersion), static (writer, state) => state.Layout.WriteTo(writer, state.resourceVersion), out json);

        /// <summary>Whether the layout with <paramref name="resourceVersion"/> deeply equals <paramref name="stored"/>.</summary>
        public bool WritesSameAs(long resourceVersion, JsonElement stored)
        {
            if (Write(resourceVersion, out var json) is not null) return false;
            using var candidate = JsonDocument.Parse(json, StoredOptions);
            return Same(candidate.RootElement, stored);
        }

        private void WriteTo(Utf8JsonWriter writer, long resourceVersion)
        {
            var metadata = Metadata;
            writer.WriteStartObject();
            writer.WritePropertyName(Names.ApiVersion);
            Member(body, "apiVersion"u8).WriteTo(writer);
            writer.WritePropertyName(Names.Kind);
            Member(body, "kind"u8).WriteTo(writer);
            writer.WriteStartObject(Names.Metadata);
            writer.WritePropertyName(Names.Name);
            Member(metadata, "name"u8).WriteTo(writer);
            var ns = Member(metadata, "namespace"u8);
            if (ns.ValueKind == JsonValueKind.String && !ns.ValueEquals(ReadOnlySpan<byte>.Empty))
            {
                writer.WritePropertyName(Names.Namespace);
                ns.WriteTo(writer);
            }

            // The numbers and the date are formatted as UTF-8 on the stack: the same text as their strings, unallocated.
            Span<byte> text = stackalloc byte[32];
            writer.WriteString(Names.Uid, uid);
            writer.WriteString(Names.ResourceVersion, text[..Utf8Text(resourceVersion, text)]);
            writer.WriteNumber(Names.Generation, generation);
            writer.WriteString(Names.CreationTimestamp, text[..Utf8Timestamp(createdMs, text)]);
            WriteMember(writer, Names.Labels, Labels);
            WriteMember(writer, Names.Annotations, Annotations);
            writer.WriteEndObject();
            foreach (var member in body.EnumerateObject())
            {
                if (member.NameEquals("apiVersion"u8) || member.NameEquals("kind"u8) || member.NameEquals("metadata"u8) || member.NameEquals("status"u8)) continue;
                member.WriteTo(writer);
            }

            WriteMember(writer, Names.Status, Status);
            writer.WriteEndObject();
        }

        private static void WriteMember(Utf8JsonWriter writer, JsonEncodedText name, JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Undefined) return;
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        private static int Utf8Text(long value, Span<byte> destination) =>
            value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture) ? written : throw new UnreachableException("a long fits 32 bytes");

        private static JsonElement NonEmpty(JsonElement map) =>
            map.ValueKind == JsonValueKind.Object && map.EnumerateObject().MoveNext() ? map : default;
    }

    /// <summary>The member names the layout writes, encoded once (as the writer's default encoder would each time).</summary>
    private static class Names
    {
        public static readonly JsonEncodedText ApiVersion = JsonEncodedText.Encode("apiVersion");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Metadata = JsonEncodedText.Encode("metadata");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
        public static readonly JsonEncodedText Uid = JsonEncodedText.Encode("uid");
        public static readonly JsonEncodedText ResourceVersion = JsonEncodedText.Encode("resourceVersion");
        public static readonly JsonEncodedText Generation = JsonEncodedText.Encode("generation");
        public static readonly JsonEncodedText CreationTimestamp = JsonEncodedText.Encode("creationTimestamp");
        public static readonly JsonEncodedText Labels = JsonEncodedText.Encode("labels");
        public static readonly JsonEncodedText Annotations = JsonEncodedText.Encode("annotations");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Writes JSON through one buffer and writer reused per thread, at most <see cref="MaxDepth"/> deep, with the
    /// serializer's default encoder; null, or why the result cannot be stored.
    /// </summary>
    private static string? WriteJson<T>(T state, Action<Utf8JsonWriter, T> write, out byte[] json)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        catch (InvalidOperationException e) when (e is not ObjectDisposedException)
        {
            json = [];
            return writer.CurrentDepth >= MaxDepth
                ? $"the object is nested more than {MaxDepth} levels deep" // each part was within the limit, but a status nests one level below the root
                : $"the object has an undecodable string: {e.Message}"; // a string the parser let through (an unpaired surrogate escape)
        }

        json = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20) t_buffer = null; // do not keep one huge object's buffer for good
        return null;
    }

    /// <summary>True when every field outside metadata and status is equal.</summary>
    private static bool SpecEquals(JsonElement a, JsonElement b)
    {
        var countA = 0;
        foreach (var member in a.EnumerateObject())
        {
            if (member.NameEquals("metadata"u8) || member.NameEquals("status"u8)) continue;
            countA++;
            if (!b.TryGetProperty(member.Name, out var other) || !Same(member.Value, other)) return false;
        }

        var countB = 0;
        foreach (var member in b.EnumerateObject())
        {
            if (!member.NameEquals("metadata"u8) && !member.NameEquals("status"u8)) countB++;
        }

        return countA == countB;
    }

    /// <summary>
    /// <see cref="JsonElement.DeepEquals"/>, made total: it cannot compare a number whose exponent does not fit an int,
    /// which commands are now refused for but objects stored by earlier versions may hold. Then the two are the same
    /// when their JSON text is byte for byte the same: a deterministic answer where the comparison has none.
    /// </summary>
    private static bool Same(JsonElement a, JsonElement b)
    {
        try
        {
            return JsonElement.DeepEquals(a, b);
        }
        catch (ArgumentOutOfRangeException)
        {
            return JsonMarshal.GetRawUtf8Value(a).SequenceEqual(JsonMarshal.GetRawUtf8Value(b));
        }
    }

    /// <summary>A member of an object; <see cref="JsonValueKind.Undefined"/> when absent or when the value is not an object.</summary>
    private static JsonElement Member(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

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

    /// <summary>Parses the command's body; null (and true) when it is empty, which only UpdateStatus accepts as "no status".</summary>
    private static bool TryParseDocument(ResourceCommand command, string what, bool objectOnly, out JsonDocument? document, out WriteResult invalid)
    {
        document = null;
        invalid = null!;
        if (command.Body.IsEmpty)
        {
            if (command.Kind == WriteKind.UpdateStatus) return true;
            invalid = Fail(ErrorCode.Invalid, $"{what} is empty", null);
            return false;
        }

        try
        {
            document = ObjectValidator.ParseDocument(command.Body, what, objectOnly);
            return true;
        }
        catch (ControlPlaneException e)
        {
            invalid = Fail(ErrorCode.Invalid, e.Message, null);
            return false;
        }
    }

    private static WriteResult Fail(ErrorCode code, string message, StoredResource? current) =>
        new() { Error = code, Message = message, ResourceVersion = current?.ResourceVersion ?? 0 };

    private static string Describe(ResourceKey key) =>
        key.Namespace.Length == 0 ? $"{key.Kind} \"{key.Name}\"" : $"{key.Kind} \"{key.Namespace}/{key.Name}\"";

    /// <summary>The creationTimestamp text stored for <paramref name="unixMs"/>.</summary>
    public static string FormatTimestamp(long unixMs)
    {
        Span<byte> text = stackalloc byte[32];
        return Encoding.UTF8.GetString(text[..Utf8Timestamp(unixMs, text)]);
    }

    /// <summary>Writes the creationTimestamp text as UTF-8; returns its length (32 bytes always suffice).</summary>
    private static int Utf8Timestamp(long unixMs, Span<byte> destination) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.TryFormat(destination, out var written, TimestampFormat, CultureInfo.InvariantCulture)
            ? written
            : throw new UnreachableException("a timestamp fits 32 bytes");
}
