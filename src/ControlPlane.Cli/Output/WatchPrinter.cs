using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Yaml;
using ControlPlane.Client;

namespace ControlPlane.Cli.Output;

/// <summary>
/// Prints watch events as they arrive: one table row per event (columns padded to fixed widths, since later rows are
/// not known yet), one JSON object per line (<c>{"type","resourceVersion","object"}</c>, kubectl's watch-event shape
/// plus the commit's resourceVersion), or one YAML document per event.
/// </summary>
internal static class WatchPrinter
{
    private const int Gap = 3;
    private static readonly string[] Headers = ["TYPE", "NAMESPACE", "NAME", "RESOURCEVERSION"];
    private static readonly int[] Widths = [8, 16, 32];
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The table header, or nothing for JSON and YAML.</summary>
    public static string Header(OutputFormat format) => format == OutputFormat.Table ? Row(Headers) : string.Empty;

    /// <summary>The text of one event of the commit at <paramref name="resourceVersion"/>, ending with a line break.</summary>
    public static string Format(WatchEvent e, string resourceVersion, OutputFormat format)
    {
        var type = e.Type.ToString().ToUpperInvariant();
        if (format == OutputFormat.Table) return Row([type, e.Namespace, e.Name, resourceVersion]);
        var document = new JsonObject
        {
            ["type"] = type,
            ["resourceVersion"] = resourceVersion,
            ["object"] = e.Object.DeepClone(),
        };
        return format == OutputFormat.Json ? document.ToJsonString(Compact) + "\n" : "---\n" + YamlWriter.Write(document);
    }

    private static string Row(IReadOnlyList<string> cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            line.Append(cells[i]);
            if (i < Widths.Length) line.Append(' ', Math.Max(Widths[i] - cells[i].Length, 0) + Gap);
        }

        return line.ToString().TrimEnd() + "\n";
    }
}
