using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>Identifies one object: apiVersion ("group/version", or "version" for the core group), kind, namespace and name.</summary>
/// <param name="ApiVersion">"group/version", or "version" for the core group.</param>
/// <param name="Kind">The kind, e.g. <c>Goal</c>.</param>
/// <param name="Namespace">The namespace; empty for cluster-scoped objects.</param>
/// <param name="Name">The object's name.</param>
public sealed record ObjectReference(string ApiVersion, string Kind, string Namespace, string Name)
{
    /// <summary>The reference of an object from its apiVersion, kind, metadata.namespace and metadata.name.</summary>
    /// <param name="obj">A resource object.</param>
    /// <exception cref="ArgumentException">A field is missing or not a string.</exception>
    public static ObjectReference FromObject(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject
            ?? throw new ArgumentException("the object has no metadata object", nameof(obj));
        return new(
            RequiredString(obj, "apiVersion", "apiVersion"),
            RequiredString(obj, "kind", "kind"),
            OptionalString(metadata, "namespace", "metadata.namespace"),
            RequiredString(metadata, "name", "metadata.name"));
    }

    /// <summary>The group part of <see cref="ApiVersion"/>; empty for the core group.</summary>
    public string Group => ApiVersions.Split(ApiVersion).Group;

    /// <inheritdoc />
    public override string ToString() =>
        Namespace.Length == 0 ? $"{ApiVersion}/{Kind}/{Name}" : $"{ApiVersion}/{Kind}/{Namespace}/{Name}";

    internal Contracts.V1.ResourceRef ToProto() =>
        new() { ApiVersion = ApiVersion, Kind = Kind, Namespace = Namespace ?? string.Empty, Name = Name };

    private static string RequiredString(JsonObject obj, string property, string path)
    {
        var value = OptionalString(obj, property, path);
        return value.Length > 0 ? value : throw new ArgumentException($"the object has no {path}", nameof(obj));
    }

    private static string OptionalString(JsonObject obj, string property, string path)
    {
        var node = obj[property];
        if (node is null) return string.Empty;
        return node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new ArgumentException($"{path} must be a string", nameof(obj));
    }
}
