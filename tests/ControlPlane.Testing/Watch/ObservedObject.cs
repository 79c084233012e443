using System.Globalization;
using System.Text.Json.Nodes;

namespace ControlPlane.Testing.Watch;

/// <summary>An object as a watcher received it: which object, which version, and its labels.</summary>
public sealed record ObservedObject(ObjectKey Key, ObjectVersion Version)
{
    public long ResourceVersion => Version.ResourceVersion;

    /// <summary>Reads apiVersion, kind, metadata.{namespace, name, resourceVersion, labels} of a resource object.</summary>
    /// <exception cref="FormatException">A field is missing or malformed.</exception>
    public static ObservedObject FromJson(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject ?? throw new FormatException($"object without metadata: {obj.ToJsonString()}");
        var rvText = String(metadata, "resourceVersion");
        if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            throw new FormatException($"metadata.resourceVersion \"{rvText}\" is not a number in {obj.ToJsonString()}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelObject)
        {
            foreach (var (name, value) in labelObject) labels[name] = value?.GetValue<string>() ?? string.Empty;
        }

        var key = new ObjectKey(String(obj, "apiVersion"), String(obj, "kind"), String(metadata, "namespace"), String(metadata, "name"));
        return new ObservedObject(key, new ObjectVersion(rv, labels));
    }

    public override string ToString() => $"{Key}@{ResourceVersion}";

    private static string String(JsonObject obj, string property) =>
        obj[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
}
