using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPlane.Cli.Output;

/// <summary>
/// One kind-specific table column, like a CRD's <c>additionalPrinterColumns</c>: a header and the JSON path of the
/// value. A missing value prints as <paramref name="Missing"/>: <c>&lt;none&gt;</c> by default, as kubectl does, so the
/// columns stay splittable by whitespace.
/// </summary>
internal sealed record PrinterColumn(string Header, string[] Path, string Missing = PrinterColumn.None)
{
    public const string None = "<none>";

    /// <summary>The value at <see cref="Path"/> as text: strings as they are, numbers and booleans as JSON writes them.</summary>
    public string ValueOf(JsonObject obj)
    {
        if (NodeAt(obj, Path) is not JsonValue value) return Missing;
        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => string.Empty,
        };
        return text.Length > 0 ? text : Missing;
    }

    /// <summary>The node at <paramref name="path"/> below <paramref name="obj"/>, or null where an object is missing.</summary>
    public static JsonNode? NodeAt(JsonObject obj, IEnumerable<string> path)
    {
        JsonNode? node = obj;
        foreach (var segment in path) node = (node as JsonObject)?[segment];
        return node;
    }
}
