using System.Text.Json.Nodes;

namespace ControlPlane.Cli.Output;

/// <summary>
/// The extra table columns of the kinds cpctl knows (kubectl's printer columns), by API group and kind. Other kinds
/// get the generic table. The columns are used only when every object printed is of that kind.
/// </summary>
internal static class PrinterColumns
{
    private const string Planning = "planning.controlplane.dev";

    private static readonly Dictionary<(string Group, string Kind), PrinterColumn[]> ByKind = new()
    {
        [(Planning, "Goal")] = [new("ACTIVE-PLAN", ["status", "activePlanRef", "name"]), new("PHASE", ["status", "phase"])],
        [(Planning, "Plan")] = [new("GOAL", ["spec", "goalRef", "name"]), new("SERIES", ["spec", "series"]), new("VERSION", ["spec", "version"])],
    };

    /// <summary>The columns for <paramref name="objects"/>, or null when they are not all of one kind that has columns.</summary>
    public static IReadOnlyList<PrinterColumn>? For(IReadOnlyList<JsonObject> objects)
    {
        if (objects.Count == 0) return null;
        var kind = KindOf(objects[0]);
        if (!ByKind.TryGetValue(kind, out var columns)) return null;
        return objects.All(o => KindOf(o) == kind) ? columns : null;
    }

    private static (string Group, string Kind) KindOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"] is JsonValue a && a.TryGetValue<string>(out var v) ? v : string.Empty;
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var n) ? n : string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return (slash <= 0 ? string.Empty : apiVersion[..slash], kind);
    }
}
