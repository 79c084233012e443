using System.Text.Json.Nodes;

namespace ControlPlane.Core.Json;

/// <summary>RFC 7386 JSON merge patch.</summary>
public static class JsonMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/> and returns the result. Neither input is
    /// modified: the result shares no nodes with them.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            // Assigning in place keeps the member's position, so a patch that changes nothing
            // serializes to the same bytes as the target.
            result[name] = Apply(result[name], value);
        }

        return result;
    }
}
