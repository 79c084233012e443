using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Controllers.Resolver;

namespace ControlPlane.Controllers.Tests.Resolver;

/// <summary>Builds Goal and Plan objects as the store holds them, and parses them through the real readers.</summary>
internal static class Objects
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static JsonObject PlanJson(
        string name,
        string goal,
        string? series = null,
        JsonNode? version = null,
        string[]? supersedes = null,
        IReadOnlyDictionary<string, string>? labels = null,
        string ns = "default",
        int createdSecond = 0)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["generation"] = 1,
            ["creationTimestamp"] = (Epoch + TimeSpan.FromSeconds(createdSecond)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        };
        if (labels is not null)
        {
            var l = new JsonObject();
            foreach (var (k, v) in labels) l[k] = v;
            metadata["labels"] = l;
        }

        var spec = new JsonObject { ["goalRef"] = new JsonObject { ["name"] = goal } };
        if (series is not null) spec["series"] = series;
        if (version is not null) spec["version"] = version;
        if (supersedes is not null) spec["supersedes"] = new JsonArray([.. supersedes.Select(s => (JsonNode)s)]);
        return Reparsed(new JsonObject
        {
            ["apiVersion"] = PlanningKinds.ApiVersion,
            ["kind"] = "Plan",
            ["metadata"] = metadata,
            ["spec"] = spec,
        });
    }

    public static PlanView Plan(
        string name,
        string goal = "g",
        string? series = null,
        string? version = null,
        string[]? supersedes = null,
        IReadOnlyDictionary<string, string>? labels = null,
        string ns = "default",
        int createdSecond = 0) =>
        PlanView.Parse(PlanJson(name, goal, series, version is null ? null : JsonValue.Create(version), supersedes, labels, ns, createdSecond));

    public static JsonObject GoalJson(string name = "g", string ns = "default", long generation = 1, string? selector = null, string? status = null)
    {
        var goal = new JsonObject
        {
            ["apiVersion"] = PlanningKinds.ApiVersion,
            ["kind"] = "Goal",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["generation"] = generation },
            ["spec"] = new JsonObject(),
        };
        if (selector is not null) goal["spec"]!["planSelector"] = JsonNode.Parse(selector);
        if (status is not null) goal["status"] = JsonNode.Parse(status);
        return Reparsed(goal);
    }

    public static GoalView Goal(string name = "g", string ns = "default", long generation = 1, string? selector = null, string? status = null) =>
        GoalView.Parse(GoalJson(name, ns, generation, selector, status));

    /// <summary>The Goal as it is after the controller wrote <paramref name="resolution"/>'s status.</summary>
    public static GoalView AfterWrite(GoalView goal, GoalResolution resolution) =>
        goal with { Status = JsonSerializer.SerializeToElement(resolution.Status.ToStatusJson(goal.Status)) };

    /// <summary>As the store hands objects out: parsed from JSON text, not built from CLR values.</summary>
    private static JsonObject Reparsed(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
}
