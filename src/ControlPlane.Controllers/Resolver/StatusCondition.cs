using System.Text.Json.Nodes;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// One entry of <c>status.conditions</c>, shaped like Kubernetes' metav1.Condition. <see cref="LastTransitionTime"/>
/// is whole seconds in UTC, so a condition equals its own JSON round trip.
/// </summary>
public sealed record StatusCondition(
    string Type,
    ConditionStatus Status,
    string Reason,
    string Message,
    DateTimeOffset LastTransitionTime,
    long ObservedGeneration)
{
    public JsonObject ToJson() => new()
    {
        ["type"] = Type,
        ["status"] = Status.ToString(),
        ["reason"] = Reason,
        ["message"] = Message,
        ["lastTransitionTime"] = JsonFields.FormatTime(LastTransitionTime),
        ["observedGeneration"] = ObservedGeneration,
    };

    /// <summary>
    /// Reads a condition leniently: null when any field is missing or of the wrong type, because such a
    /// condition cannot be trusted to carry a transition time forward.
    /// </summary>
    public static StatusCondition? TryRead(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        if (!JsonFields.TryString(o["type"], out var type)
            || !JsonFields.TryString(o["status"], out var statusText)
            || !Enum.TryParse<ConditionStatus>(statusText, ignoreCase: false, out var status)
            || !Enum.IsDefined(status)
            || statusText != status.ToString()
            || !JsonFields.TryString(o["reason"], out var reason)
            || !JsonFields.TryString(o["message"], out var message)
            || !JsonFields.TryTime(o["lastTransitionTime"], out var time)
            || !JsonFields.TryLong(o["observedGeneration"], out var generation))
        {
            return null;
        }

        return new StatusCondition(type, status, reason, message, time, generation);
    }

    /// <summary>The first condition of <paramref name="type"/> in a <c>status</c> object, read leniently.</summary>
    public static StatusCondition? Find(JsonObject? status, string type)
    {
        if (status?["conditions"] is not JsonArray conditions) return null;
        foreach (var item in conditions)
        {
            if (item is JsonObject o && JsonFields.TryString(o["type"], out var t) && t == type) return TryRead(o);
        }

        return null;
    }
}
