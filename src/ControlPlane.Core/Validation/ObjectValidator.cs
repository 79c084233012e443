using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Validation;

/// <summary>
/// Validates a resource object and reads its identity. Deterministic: the state machine runs it on every
/// replica (for example on the result of a merge patch), and the API runs it first to refuse bad input early.
/// </summary>
public static class ObjectValidator
{
    /// <summary>The metadata fields a client may send, in ordinal order (as the error lists them); metadata is a closed schema.</summary>
    private static readonly string[] MetadataFields = ["annotations", "creationTimestamp", "generation", "labels", "name", "namespace", "resourceVersion", "uid"];

    /// <summary><see cref="MetadataFields"/> as UTF-8, to compare member names without decoding them.</summary>
    private static readonly byte[][] MetadataFieldNames = [.. MetadataFields.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The deepest nesting <see cref="ParseDocument"/> accepts.</summary>
    private const int MaxDepth = 64;

    /// <summary>
    /// Parses UTF-8 JSON bytes into a read-only document (dispose it), or throws Invalid naming the problem; with
    /// <paramref name="objectOnly"/> false any JSON value is accepted. Duplicate member names, invalid UTF-8, unpaired
    /// surrogate escapes and numbers no comparison can read are refused here (<see cref="CheckTokens"/>): parsers
    /// decode lazily, so letting them through would surface later as an unexpected exception (in the state machine's
    /// apply). The API validates a write this way and forwards the bytes it was sent; apply parses every body this way.
    /// </summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> json, string what = "object", bool objectOnly = true)
    {
        CheckTokens(json.Span, what);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw ControlPlaneException.Invalid($"{what} is not valid JSON: {e.Message}");
        }

        if (!objectOnly || document.RootElement.ValueKind == JsonValueKind.Object) return document;
        var kind = document.RootElement.ValueKind;
        document.Dispose();
        throw ControlPlaneException.Invalid($"{what} must be a JSON object, got {Describe(kind)}");
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Validates a whole object and returns its key and labels; throws Invalid naming the first problem.</summary>
    public static (ResourceKey Key, FrozenDictionary<string, string> Labels) Validate(JsonObject obj) =>
        Validate(JsonSerializer.SerializeToElement(obj));

    /// <summary>
    /// Validates a whole object held as a parsed document (what the state machine applies without building a
    /// mutable tree) and returns its key and labels; throws Invalid naming the first problem. When the labels equal
    /// <paramref name="currentLabels"/> (those of the stored version), that instance is returned instead of a new
    /// frozen copy: building a frozen dictionary costs far more than comparing a few labels, and most writes keep them.
    /// When the object names <paramref name="storedKey"/> (the key of the stored version, valid since it was stored),
    /// that key is returned without reading the names into new strings or checking them against the naming rules
    /// again: a replace or a patch of an existing object, most writes, then allocates no string for its identity.
    /// </summary>
    public static (ResourceKey Key, FrozenDictionary<string, string> Labels) Validate(
        JsonElement obj, FrozenDictionary<string, string>? currentLabels = null, ResourceKey? storedKey = null) =>
        Validate(obj, currentLabels, storedKey, keepLabels: true);

    /// <summary>
    /// Validates a whole object as <see cref="Validate(JsonElement, FrozenDictionary{string, string}?, ResourceKey?)"/>
    /// does and returns its key only: the labels are checked but no dictionary of them is built (the API checks a
    /// write before forwarding its bytes, and apply builds the labels it stores).
    /// </summary>
    public static ResourceKey ValidateKey(JsonElement obj) => Validate(obj, null, null, keepLabels: false).Key;

    private static (ResourceKey Key, FrozenDictionary<string, string> Labels) Validate(
        JsonElement obj, FrozenDictionary<string, string>? currentLabels, ResourceKey? storedKey, bool keepLabels)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw ControlPlaneException.Invalid($"object must be a JSON object, got {Describe(obj)}");
        var metadata = Member(obj, "metadata"u8);
        ResourceKey key;
        if (storedKey is { } stored && metadata.ValueKind == JsonValueKind.Object && Names(obj, metadata, stored))
        {
            key = stored;
        }
        else
        {
            var apiVersion = RequiredString(obj, "apiVersion"u8, "apiVersion");
            if (!NameRules.IsApiVersion(apiVersion, out var avError)) throw ControlPlaneException.Invalid($"apiVersion \"{apiVersion}\": {avError}");
            var kind = RequiredString(obj, "kind"u8, "kind");
            if (!NameRules.IsKind(kind, out var kindError)) throw ControlPlaneException.Invalid($"kind \"{kind}\": {kindError}");
            if (metadata.ValueKind != JsonValueKind.Object)
            {
                throw ControlPlaneException.Invalid(metadata.ValueKind == JsonValueKind.Undefined ? "metadata is required" : $"metadata must be a JSON object, got {Describe(metadata)}");
            }

            var name = RequiredString(metadata, "name"u8, "metadata.name");
            if (!NameRules.IsDns1123Subdomain(name, out var nameError)) throw ControlPlaneException.Invalid($"metadata.name \"{name}\": {nameError}");
            var ns = OptionalString(metadata, "namespace"u8, "metadata.namespace") ?? string.Empty;
            if (ns.Length > 0 && !NameRules.IsDns1123Label(ns, out var nsError)) throw ControlPlaneException.Invalid($"metadata.namespace \"{ns}\": {nsError}");
            key = ResourceKey.Create(apiVersion, kind, ns, name);
        }

        foreach (var field in metadata.EnumerateObject())
        {
            if (!IsMetadataField(field))
            {
                throw ControlPlaneException.Invalid($"metadata.{field.Name} is not a known field (allowed: {string.Join(", ", MetadataFields)})");
            }
        }

        CheckOptionalString(metadata, "uid"u8, "metadata.uid");
        CheckOptionalString(metadata, "creationTimestamp"u8, "metadata.creationTimestamp");
        var rv = OptionalString(metadata, "resourceVersion"u8, "metadata.resourceVersion");
        if (rv is { Length: > 0 }) ParseResourceVersion(rv, "metadata.resourceVersion");
        var generation = Member(metadata, "generation"u8);
        if (generation.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null) && !IsNonNegativeInteger(generation))
        {
            throw ControlPlaneException.Invalid($"metadata.generation must be a non-negative integer, got {JsonSerializer.Serialize(generation)}");
        }

        Dictionary<string, string>? labels = null;
        if (keepLabels)
        {
            labels = StringMap(Member(metadata, "labels"u8), "labels", isLabels: true);
        }
        else
        {
            foreach (var _ in StringMembers(Member(metadata, "labels"u8), "labels", isLabels: true))
            {
                // Each member is checked as it is reached.
            }
        }

        var annotationBytes = 0;
        foreach (var (annotation, value) in StringMembers(Member(metadata, "annotations"u8), "annotations", isLabels: false))
        {
            annotationBytes += Encoding.UTF8.GetByteCount(annotation) + Encoding.UTF8.GetByteCount(value);
        }

        if (annotationBytes > ResourceLimits.Default.MaxAnnotationBytes)
        {
            throw ControlPlaneException.Invalid($"metadata.annotations total {annotationBytes} bytes, more than the limit of {ResourceLimits.Default.MaxAnnotationBytes}");
        }

        return (key, Freeze(labels, currentLabels));
    }

    /// <summary>
    /// Whether the object's apiVersion, kind, metadata.name and metadata.namespace are exactly those of
    /// <paramref name="key"/> (a namespace absent, null or empty for a cluster-scoped key), compared in place.
    /// </summary>
    private static bool Names(JsonElement obj, JsonElement metadata, ResourceKey key)
    {
        var apiVersion = Member(obj, "apiVersion"u8);
        if (apiVersion.ValueKind != JsonValueKind.String) return false;

        // A stored key passed the naming rules (a group of at most 253 characters, a version of at most 63); the bound
        // only keeps the stack buffer small for a key made some other way, which then gets the full check.
        var matches = key.Group.Length == 0
            ? apiVersion.ValueEquals(key.Version)
            : key.Group.Length + key.Version.Length < 512 && ApiVersionEquals(apiVersion, key.Group, key.Version);
        var ns = Member(metadata, "namespace"u8);
        return matches
            && StringEquals(Member(obj, "kind"u8), key.Kind)
            && StringEquals(Member(metadata, "name"u8), key.Name)
            && (StringEquals(ns, key.Namespace) || (key.Namespace.Length == 0 && ns.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null));
    }

    private static bool StringEquals(JsonElement value, string expected) => value.ValueKind == JsonValueKind.String && value.ValueEquals(expected);

    private static bool ApiVersionEquals(JsonElement apiVersion, string group, string version)
    {
        Span<char> text = stackalloc char[group.Length + 1 + version.Length];
        group.CopyTo(text);
        text[group.Length] = '/';
        version.CopyTo(text[(group.Length + 1)..]);
        return apiVersion.ValueEquals(text);
    }

    private static FrozenDictionary<string, string> Freeze(Dictionary<string, string>? labels, FrozenDictionary<string, string>? current) =>
        labels is null ? FrozenDictionary<string, string>.Empty
        : current is not null && SameLabels(labels, current) ? current
        : labels.ToFrozenDictionary(StringComparer.Ordinal);

    private static bool SameLabels(Dictionary<string, string> labels, FrozenDictionary<string, string> current)
    {
        if (labels.Count != current.Count) return false;
        foreach (var (key, value) in labels)
        {
            if (!current.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal)) return false;
        }

        return true;
    }

    /// <summary>Parses a decimal resourceVersion; throws Invalid when it is not a positive integer.</summary>
    public static long ParseResourceVersion(string text, string field = "resourceVersion")
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw ControlPlaneException.Invalid($"{field} \"{text}\" is not a valid resourceVersion (a positive decimal integer)");
        }

        return value;
    }

    /// <summary>Validates a resource reference given outside an object (Get, Patch, Delete).</summary>
    public static ResourceKey ValidateRef(string apiVersion, string kind, string? @namespace, string name)
    {
        if (string.IsNullOrEmpty(apiVersion)) throw ControlPlaneException.Invalid("apiVersion is required");
        if (!NameRules.IsApiVersion(apiVersion, out var avError)) throw ControlPlaneException.Invalid($"apiVersion \"{apiVersion}\": {avError}");
        if (string.IsNullOrEmpty(kind)) throw ControlPlaneException.Invalid("kind is required");
        if (!NameRules.IsKind(kind, out var kindError)) throw ControlPlaneException.Invalid($"kind \"{kind}\": {kindError}");
        if (string.IsNullOrEmpty(name)) throw ControlPlaneException.Invalid("name is required");
        if (!NameRules.IsDns1123Subdomain(name, out var nameError)) throw ControlPlaneException.Invalid($"name \"{name}\": {nameError}");
        var ns = @namespace ?? string.Empty;
        if (ns.Length > 0 && !NameRules.IsDns1123Label(ns, out var nsError)) throw ControlPlaneException.Invalid($"namespace \"{ns}\": {nsError}");
        return ResourceKey.Create(apiVersion, kind, ns, name);
    }

    public static string Describe(JsonNode? node) => node is null ? "null" : Describe(node.GetValueKind());

    public static string Describe(JsonElement value) => Describe(value.ValueKind);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>
    /// Reads every token once: throws Invalid naming the problem for a syntax error, nesting deeper than 64 levels,
    /// a string or member name that cannot be decoded, or a number whose exponent is beyond ±999,999,999. Parsers
    /// decode lazily and <see cref="JsonElement.DeepEquals"/> cannot compare such a number, so each of these would
    /// otherwise surface later as an exception; the state machine runs this on every command it applies.
    /// </summary>
    public static void CheckTokens(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            CheckTokensCore(json, what);
        }
        catch (JsonException e)
        {
            throw ControlPlaneException.Invalid($"{what} is not valid JSON: {e.Message}");
        }
    }

    private static void CheckTokensCore(ReadOnlySpan<byte> json, string what)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Number && !HasComparableExponent(reader.ValueSpan))
                {
                    throw ControlPlaneException.Invalid($"{what} has a number with an exponent beyond ±999,999,999 at byte {reader.TokenStartIndex}");
                }

                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;

                // Text without escapes decodes exactly when it is valid UTF-8: checked in place, without transcoding.
                if (!reader.ValueIsEscaped)
                {
                    if (Utf8.IsValid(reader.ValueSpan)) continue;
                    throw Undecodable(ref reader, what, "invalid UTF-8");
                }

                // Unescaping never makes a string longer than its encoded form.
                var length = reader.ValueSpan.Length;
                if (buffer is null || buffer.Length < length)
                {
                    if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
                }

                try
                {
                    reader.CopyString(buffer);
                }
                catch (InvalidOperationException e)
                {
                    throw Undecodable(ref reader, what, e.Message);
                }
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static ControlPlaneException Undecodable(ref Utf8JsonReader reader, string what, string problem)
    {
        var token = reader.TokenType == JsonTokenType.PropertyName ? "member name" : "string";
        return ControlPlaneException.Invalid($"{what} has an undecodable {token} at byte {reader.TokenStartIndex}: {problem}");
    }

    /// <summary>True when the number's exponent, if any, has at most nine significant digits.</summary>
    private static bool HasComparableExponent(ReadOnlySpan<byte> number)
    {
        var e = number.IndexOfAny((byte)'e', (byte)'E');
        if (e < 0) return true;
        var digits = number[(e + 1)..];
        if (digits.Length > 0 && digits[0] is (byte)'+' or (byte)'-') digits = digits[1..];
        var first = digits.IndexOfAnyExcept((byte)'0');
        return first < 0 || digits.Length - first <= 9;
    }

    /// <summary>Judged on the JSON text, as written.</summary>
    private static bool IsNonNegativeInteger(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number
        && long.TryParse(value.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>A member of an object; <see cref="JsonValueKind.Undefined"/> when absent.</summary>
    private static JsonElement Member(JsonElement obj, ReadOnlySpan<byte> field) => obj.TryGetProperty(field, out var value) ? value : default;

    private static string RequiredString(JsonElement obj, ReadOnlySpan<byte> field, string path) =>
        OptionalString(obj, field, path) is { Length: > 0 } s ? s : throw ControlPlaneException.Invalid($"{path} is required");

    /// <summary>The string member; null when absent or JSON null.</summary>
    private static string? OptionalString(JsonElement obj, ReadOnlySpan<byte> field, string path)
    {
        var value = Member(obj, field);
        return CheckOptionalString(value, path) ? value.GetString()! : null;
    }

    /// <summary>Throws Invalid unless the member is absent, JSON null or a string; true for a string (read without copying it).</summary>
    private static bool CheckOptionalString(JsonElement obj, ReadOnlySpan<byte> field, string path) => CheckOptionalString(Member(obj, field), path);

    private static bool CheckOptionalString(JsonElement value, string path) =>
        value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => false,
            JsonValueKind.String => true,
            _ => throw ControlPlaneException.Invalid($"{path} must be a string, got {Describe(value)}"),
        };

    /// <summary>The string map metadata.<paramref name="field"/>, checked; null when absent or empty.</summary>
    private static Dictionary<string, string>? StringMap(JsonElement map, string field, bool isLabels)
    {
        Dictionary<string, string>? result = null;
        foreach (var (key, value) in StringMembers(map, field, isLabels))
        {
            (result ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        }

        return result;
    }

    /// <summary>The members of the string map metadata.<paramref name="field"/>, each checked as it is reached; none when absent or JSON null.</summary>
    private static IEnumerable<(string Key, string Value)> StringMembers(JsonElement map, string field, bool isLabels)
    {
        if (map.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) yield break;
        if (map.ValueKind != JsonValueKind.Object) throw ControlPlaneException.Invalid($"metadata.{field} must be an object of strings, got {Describe(map)}");
        foreach (var member in map.EnumerateObject())
        {
            var key = member.Name;
            if (!LabelRules.IsValidKey(key, out var keyError)) throw ControlPlaneException.Invalid($"metadata.{field} key \"{key}\": {keyError}");
            if (member.Value.ValueKind != JsonValueKind.String)
            {
                throw ControlPlaneException.Invalid($"metadata.{field}[\"{key}\"] must be a string, got {Describe(member.Value)}");
            }

            var s = member.Value.GetString()!;
            if (isLabels && !LabelRules.IsValidValue(s, out var valueError)) throw ControlPlaneException.Invalid($"metadata.labels[\"{key}\"] value \"{s}\": {valueError}");
            yield return (key, s);
        }
    }

    /// <summary>Whether the member is one of <see cref="MetadataFields"/>, compared as UTF-8 without decoding its name.</summary>
    private static bool IsMetadataField(JsonProperty field)
    {
        foreach (var name in MetadataFieldNames)
        {
            if (field.NameEquals(name)) return true;
        }

        return false;
    }
}
