using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Validation;

/// <summary>
/// Validates a resource object and reads its identity. Deterministic: the state machine runs it on every
/// replica (for example on the result of a merge patch), and the API runs it first to refuse bad input early.
/// </summary>
public static class ObjectValidator
{
    /// <summary>The metadata fields a client may send; metadata is a closed schema.</summary>
    private static readonly FrozenSet<string> MetadataFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "labels", "annotations");

    /// <summary>The deepest nesting <see cref="ParseObject"/> accepts.</summary>
    private const int MaxDepth = 64;

    /// <summary>
    /// Parses UTF-8 JSON bytes into an object, or throws Invalid naming the problem. Duplicate member names,
    /// invalid UTF-8 and unpaired surrogate escapes are refused here: <see cref="JsonNode"/> decodes lazily,
    /// so letting them through would surface later as an unexpected exception (in the state machine's apply).
    /// </summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> json, string what = "object")
    {
        JsonNode? node;
        try
        {
            CheckStrings(json, what);
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw ControlPlaneException.Invalid($"{what} is not valid JSON: {e.Message}");
        }

        return node as JsonObject
            ?? throw ControlPlaneException.Invalid($"{what} must be a JSON object, got {Describe(node)}");
    }

    /// <summary>Validates a whole object and returns its key and labels; throws Invalid naming the first problem.</summary>
    public static (ResourceKey Key, FrozenDictionary<string, string> Labels) Validate(JsonObject obj)
    {
        var apiVersion = RequiredString(obj, "apiVersion", "apiVersion");
        if (!NameRules.IsApiVersion(apiVersion, out var avError)) throw ControlPlaneException.Invalid($"apiVersion \"{apiVersion}\": {avError}");
        var kind = RequiredString(obj, "kind", "kind");
        if (!NameRules.IsKind(kind, out var kindError)) throw ControlPlaneException.Invalid($"kind \"{kind}\": {kindError}");
        if (obj["metadata"] is not JsonObject metadata)
        {
            throw ControlPlaneException.Invalid(obj.ContainsKey("metadata") ? $"metadata must be a JSON object, got {Describe(obj["metadata"])}" : "metadata is required");
        }

        foreach (var (field, _) in metadata)
        {
            if (!MetadataFields.Contains(field))
            {
                throw ControlPlaneException.Invalid($"metadata.{field} is not a known field (allowed: {string.Join(", ", MetadataFields.Order(StringComparer.Ordinal))})");
            }
        }

        var name = RequiredString(metadata, "name", "metadata.name");
        if (!NameRules.IsDns1123Subdomain(name, out var nameError)) throw ControlPlaneException.Invalid($"metadata.name \"{name}\": {nameError}");
        var ns = OptionalString(metadata, "namespace", "metadata.namespace") ?? string.Empty;
        if (ns.Length > 0 && !NameRules.IsDns1123Label(ns, out var nsError)) throw ControlPlaneException.Invalid($"metadata.namespace \"{ns}\": {nsError}");
        OptionalString(metadata, "uid", "metadata.uid");
        OptionalString(metadata, "creationTimestamp", "metadata.creationTimestamp");
        var rv = OptionalString(metadata, "resourceVersion", "metadata.resourceVersion");
        if (rv is { Length: > 0 }) ParseResourceVersion(rv, "metadata.resourceVersion");
        if (metadata["generation"] is { } generation && !IsNonNegativeInteger(generation))
        {
            throw ControlPlaneException.Invalid($"metadata.generation must be a non-negative integer, got {generation.ToJsonString()}");
        }

        var labels = StringMap(metadata, "labels", isLabels: true);
        var annotations = StringMap(metadata, "annotations", isLabels: false);
        var annotationBytes = annotations.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value));
        if (annotationBytes > ResourceLimits.Default.MaxAnnotationBytes)
        {
            throw ControlPlaneException.Invalid($"metadata.annotations total {annotationBytes} bytes, more than the limit of {ResourceLimits.Default.MaxAnnotationBytes}");
        }

        return (ResourceKey.Create(apiVersion, kind, ns, name), labels);
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

    public static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>Reads every token once and decodes every string, so syntax errors and undecodable strings fail here.</summary>
    private static void CheckStrings(ReadOnlySpan<byte> json, string what)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;

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
                    var token = reader.TokenType == JsonTokenType.PropertyName ? "member name" : "string";
                    throw ControlPlaneException.Invalid($"{what} has an undecodable {token} at byte {reader.TokenStartIndex}: {e.Message}");
                }
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Judged on the JSON text, so a number held as any CLR type is treated the same.</summary>
    private static bool IsNonNegativeInteger(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number
        && long.TryParse(node.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static string RequiredString(JsonObject obj, string field, string path) =>
        OptionalString(obj, field, path) is { Length: > 0 } s ? s : throw ControlPlaneException.Invalid($"{path} is required");

    private static string? OptionalString(JsonObject obj, string field, string path)
    {
        var node = obj[field];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw ControlPlaneException.Invalid($"{path} must be a string, got {Describe(node)}");
        return node.GetValue<string>();
    }

    private static FrozenDictionary<string, string> StringMap(JsonObject metadata, string field, bool isLabels)
    {
        var node = metadata[field];
        if (node is null) return FrozenDictionary<string, string>.Empty;
        if (node is not JsonObject map) throw ControlPlaneException.Invalid($"metadata.{field} must be an object of strings, got {Describe(node)}");
        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            if (!LabelRules.IsValidKey(key, out var keyError)) throw ControlPlaneException.Invalid($"metadata.{field} key \"{key}\": {keyError}");
            if (value is null || value.GetValueKind() != JsonValueKind.String)
            {
                throw ControlPlaneException.Invalid($"metadata.{field}[\"{key}\"] must be a string, got {Describe(value)}");
            }

            var s = value.GetValue<string>();
            if (isLabels && !LabelRules.IsValidValue(s, out var valueError)) throw ControlPlaneException.Invalid($"metadata.labels[\"{key}\"] value \"{s}\": {valueError}");
            result[key] = s;
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
