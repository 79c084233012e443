using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ControlPlane.Cli.Yaml;
using ControlPlane.Client;

namespace ControlPlane.Cli.Output;

/// <summary>Renders objects, lists and cluster status as table, JSON or YAML.</summary>
internal static class ObjectPrinter
{
    /// <summary>The generic table's PHASE, empty for objects without one.</summary>
    private static readonly PrinterColumn GenericPhase = new("PHASE", ["status", "phase"], Missing: string.Empty);

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>One value as JSON or YAML text, ending with a line break.</summary>
    public static string Render(JsonNode? node, OutputFormat format) => format switch
    {
        OutputFormat.Yaml => YamlWriter.Write(node),
        _ => (node?.ToJsonString(Indented) ?? "null") + "\n",
    };

    /// <summary>Several objects as one Kubernetes-style List (or the object itself when there is exactly one and <paramref name="unwrapSingle"/>).</summary>
    public static JsonNode AsList(IReadOnlyList<JsonObject> objects, string? resourceVersion, bool unwrapSingle)
    {
        if (unwrapSingle && objects.Count == 1) return objects[0];
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray([.. objects.Select(o => (JsonNode)o.DeepClone())]),
        };
        if (!string.IsNullOrEmpty(resourceVersion)) list["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        return list;
    }

    /// <summary>A record (cluster status, say) as a JSON tree with camelCase names and enum names as strings.</summary>
    public static JsonNode? ToJson<T>(T value) => JsonSerializer.SerializeToNode(value, Indented);

    /// <summary>The kubectl-style resource name of an object's kind: lower-case kind, then ".group" unless it is the core group.</summary>
    public static string KindDisplay(JsonObject obj)
    {
        var apiVersion = StringAt(obj, "apiVersion");
        var kind = StringAt(obj, "kind").ToLowerInvariant();
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? kind : $"{kind}.{apiVersion[..slash]}";
    }

    /// <summary>
    /// NAME, RESOURCEVERSION and AGE (and NAMESPACE first when asked). Between NAME and RESOURCEVERSION: the kind's
    /// printer columns (<see cref="PrinterColumns"/>) when every object is of a kind that has them, otherwise PHASE
    /// when any object has status.phase.
    /// </summary>
    public static string ResourceTable(IReadOnlyList<JsonObject> objects, bool showNamespace, DateTimeOffset now)
    {
        var columns = PrinterColumns.For(objects)
            ?? (objects.Any(o => GenericPhase.ValueOf(o).Length > 0) ? [GenericPhase] : []);
        var headers = new List<string>();
        if (showNamespace) headers.Add("NAMESPACE");
        headers.Add("NAME");
        headers.AddRange(columns.Select(c => c.Header));
        headers.AddRange(["RESOURCEVERSION", "AGE"]);
        var rows = objects.Select(o =>
        {
            var row = new List<string>();
            if (showNamespace) row.Add(StringAt(o, "metadata", "namespace"));
            row.Add(StringAt(o, "metadata", "name"));
            row.AddRange(columns.Select(c => c.ValueOf(o)));
            row.Add(StringAt(o, "metadata", "resourceVersion"));
            row.Add(Age.Since(StringAt(o, "metadata", "creationTimestamp"), now));
            return (IReadOnlyList<string>)row;
        });
        return TableWriter.Format(headers, rows);
    }

    /// <summary>NAME ENDPOINT ROLE TERM COMMIT APPLIED LAG CONTACT REACHABLE, one row per member.</summary>
    public static string ClusterTable(ClusterStatus status)
    {
        string[] headers = ["NAME", "ENDPOINT", "ROLE", "TERM", "COMMIT", "APPLIED", "LAG", "CONTACT", "REACHABLE"];
        var rows = status.Members.Select(m => (IReadOnlyList<string>)(m.Status is { } s
            ? [s.Name, m.GrpcEndpoint, s.Role.ToString(), Number(s.Term), Number(s.CommitIndex), Number(s.AppliedIndex), Lag(m.LagEntries), Contact(m.LastContact), "yes"]
            : [m.Name.Length > 0 ? m.Name : "?", m.GrpcEndpoint, m.IsLeader ? "Leader" : "Unknown", "-", "-", "-", Lag(m.LagEntries), Contact(m.LastContact), string.IsNullOrEmpty(m.Error) ? "no" : $"no ({m.Error})"]));
        return TableWriter.Format(headers, rows);
    }

    /// <summary>Entries behind the leader's commit index; "-" when unknown.</summary>
    private static string Lag(long? entries) => entries is { } value ? Number(value) : "-";

    /// <summary>How long ago the member last answered: "3ms", "0.4s" under a second, then kubectl's ages ("95s", "3m10s"); "-" when it has not answered.</summary>
    private static string Contact(TimeSpan? since) => since switch
    {
        null => "-",
        { TotalMilliseconds: < 100 } t => $"{(long)t.TotalMilliseconds}ms",
        { TotalSeconds: < 2 } t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0}s"),
        { } t => Age.Format(t),
    };

    /// <summary>NAME RAFT GRPC ROLE TERM APPLIED REACHABLE, one row per member, in name order.</summary>
    public static string MemberTable(IReadOnlyList<ClusterMember> members)
    {
        string[] headers = ["NAME", "RAFT", "GRPC", "ROLE", "TERM", "APPLIED", "REACHABLE"];
        var rows = members.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.RaftEndpoint, StringComparer.Ordinal).Select(m => (IReadOnlyList<string>)(m.Status is { } s
            ? [Named(m), m.RaftEndpoint, m.GrpcEndpoint, s.Role.ToString(), Number(s.Term), Number(s.AppliedIndex), "yes"]
            : [Named(m), m.RaftEndpoint, m.GrpcEndpoint, m.IsLeader ? "Leader" : "Unknown", "-", "-", string.IsNullOrEmpty(m.Error) ? "no" : $"no ({m.Error})"]));
        return TableWriter.Format(headers, rows);
    }

    private static string Named(ClusterMember member) => member.Name.Length > 0 ? member.Name : "?";

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string StringAt(JsonObject obj, params string[] path) =>
        PrinterColumn.NodeAt(obj, path) is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
}
