using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Validation;

namespace ControlPlane.Controllers.Resolver;

/// <summary>Typed reads of JSON fields; strict ones throw Invalid naming the field's path, lenient ones return false.</summary>
internal static class JsonFields
{
    /// <summary>Kubernetes' metav1.Time: RFC 3339, UTC, whole seconds.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static JsonObject? OptionalObject(JsonObject parent, string field, string path) => parent[field] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw ControlPlaneException.Invalid($"{path} must be an object, got {ObjectValidator.Describe(other)}"),
    };

    public static JsonObject RequiredObject(JsonObject parent, string field, string path) =>
        OptionalObject(parent, field, path) ?? throw ControlPlaneException.Invalid($"{path} is required");

    public static JsonArray? OptionalArray(JsonObject parent, string field, string path) => parent[field] switch
    {
        null => null,
        JsonArray a => a,
        var other => throw ControlPlaneException.Invalid($"{path} must be an array, got {ObjectValidator.Describe(other)}"),
    };

    public static string? OptionalString(JsonObject parent, string field, string path) => parent[field] switch
    {
        null => null,
        var node when TryString(node, out var s) => s,
        var other => throw ControlPlaneException.Invalid($"{path} must be a string, got {ObjectValidator.Describe(other)}"),
    };

    public static string RequiredString(JsonObject parent, string field, string path)
    {
        var value = OptionalString(parent, field, path);
        return string.IsNullOrEmpty(value) ? throw ControlPlaneException.Invalid($"{path} is required and must not be empty") : value;
    }

    public static void RejectUnknownFields(JsonObject obj, string path, params ReadOnlySpan<string> known)
    {
        foreach (var (field, _) in obj)
        {
            if (!known.Contains(field))
            {
                throw ControlPlaneException.Invalid($"{path}.{field} is not a known field (allowed: {string.Join(", ", known.ToArray())})");
            }
        }
    }

    public static bool TryString(JsonNode? node, out string value)
    {
        value = string.Empty;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return false;
        value = v.GetValue<string>();
        return true;
    }

    /// <summary>
    /// An integral JSON number that fits a long, however the node is backed (parsed JSON, or an int, long or
    /// double set in code), judged by its JSON text so 3.0 and 1e2 are not integers.
    /// </summary>
    public static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryTime(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        return TryString(node, out var s) && TryParseTime(s, out value);
    }

    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Drops sub-second precision, so a time survives a round trip through <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
