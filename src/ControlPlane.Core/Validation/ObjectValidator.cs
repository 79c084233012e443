using System.Collections.Frozen;
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

    /// <summary>Parses UTF-8 JSON bytes into an object, or throws Invalid naming the problem.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> json, string what = "object")
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
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
        if (metadata["generation"] is { } generation && (generation.GetValueKind() != JsonValueKind.Number || !generation.AsValue().TryGetValue<long>(out _)))
        {
            throw ControlPlaneException.Invalid("metadata.generation must be an integer");
        }

        var labels = StringMap(metadata, "labels", isLabels: true);
        var annotations = StringMap(metadata, "annotations", isLabels: false);
        var annotationBytes = annotations.Sum(a => a.Key.Length + a.Value.Length);
        if (annotationBytes > ResourceLimits.Default.MaxAnnotationBytes)
        {
            throw ControlPlaneException.Invalid($"metadata.annotations total {annotationBytes} bytes, more than the limit of {ResourceLimits.Default.MaxAnnotationBytes}");
        }

        return (ResourceKey.Create(apiVersion, kind, ns, name), labels);
    }

    /// <summary>Parses a decimal resourceVersion; throws Invalid when it is not a positive integer.</summary>
    public static long ParseResourceVersion(string text, string field = "resourceVersion")
    {
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
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
