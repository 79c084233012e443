using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Validation;

namespace ControlPlane.Controllers.Resolver;

/// <summary>The parts of Goal and Plan parsing that are the same: identity, kind, labels, creation time.</summary>
internal static class ResourceHeader
{
    /// <summary>Validates the object as Core does, then requires our group, version and kind and a namespace.</summary>
    public static (ResourceKey Key, ImmutableSortedDictionary<string, string> Labels) Read(JsonObject obj, string kind)
    {
        var (key, labels) = ObjectValidator.Validate(obj);
        if (key.ResourceKind != new ResourceKind(PlanningKinds.Group, PlanningKinds.Version, kind))
        {
            throw ControlPlaneException.Invalid($"expected apiVersion \"{PlanningKinds.ApiVersion}\" and kind \"{kind}\", got \"{key.ApiVersion}\" and \"{key.Kind}\"");
        }

        if (key.Namespace.Length == 0)
        {
            throw ControlPlaneException.Invalid($"{kind} {key.Name}: metadata.namespace is required ({kind} is a namespaced kind)");
        }

        return (key, labels.ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal));
    }

    /// <summary><c>metadata.creationTimestamp</c> as RFC 3339; null when absent.</summary>
    public static DateTimeOffset? CreatedAt(JsonObject obj)
    {
        var text = JsonFields.OptionalString((JsonObject)obj["metadata"]!, "creationTimestamp", "metadata.creationTimestamp");
        if (text is null) return null;
        return JsonFields.TryParseTime(text, out var time)
            ? time
            : throw ControlPlaneException.Invalid($"metadata.creationTimestamp \"{text}\" is not an RFC 3339 time");
    }

    /// <summary>Runs a throwing parser and turns its Invalid error into a false return with the message.</summary>
    public static bool TryParse<T>(Func<JsonObject, T> parse, JsonObject obj, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error)
        where T : class
    {
        try
        {
            value = parse(obj);
            error = null;
            return true;
        }
        catch (ControlPlaneException e) when (e.Code == ErrorCode.Invalid)
        {
            value = null;
            error = e.Message;
            return false;
        }
    }
}
