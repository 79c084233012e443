using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPlane.Cli.Yaml;

/// <summary>
/// Writes a JSON value as block-style YAML, the way kubectl prints objects: numbers exactly as JSON wrote them,
/// booleans and null plain, strings plain only when no reader could take them for another type (else double-quoted),
/// multi-line strings as literal blocks, sequences under a key at the key's indentation.
/// </summary>
internal static class YamlWriter
{
    private const int Indent = 2;

    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                WriteMapping(builder, obj, 0, inline: false);
                break;
            case JsonArray { Count: > 0 } array:
                WriteSequence(builder, array, 0, inline: false);
                break;
            default:
                WriteScalarOrEmpty(builder, node, 0);
                break;
        }

        return builder.ToString();
    }

    private static void WriteMapping(StringBuilder builder, JsonObject obj, int indent, bool inline)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && inline)) builder.Append(' ', indent);
            first = false;
            builder.Append(Key(key)).Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    builder.Append('\n');
                    WriteMapping(builder, child, indent + Indent, inline: false);
                    break;
                case JsonArray { Count: > 0 } child:
                    builder.Append('\n');
                    WriteSequence(builder, child, indent, inline: false);
                    break;
                default:
                    builder.Append(' ');
                    WriteScalarOrEmpty(builder, value, indent + Indent);
                    break;
            }
        }
    }

    private static void WriteSequence(StringBuilder builder, JsonArray array, int indent, bool inline)
    {
        var first = true;
        foreach (var item in array)
        {
            if (!(first && inline)) builder.Append(' ', indent);
            first = false;
            builder.Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } child:
                    WriteMapping(builder, child, indent + Indent, inline: true);
                    break;
                case JsonArray { Count: > 0 } child:
                    WriteSequence(builder, child, indent + Indent, inline: true);
                    break;
                default:
                    WriteScalarOrEmpty(builder, item, indent + Indent);
                    break;
            }
        }
    }

    /// <summary>Writes a scalar, <c>{}</c> or <c>[]</c>, and the line end; a literal block's lines go at <paramref name="blockIndent"/>.</summary>
    private static void WriteScalarOrEmpty(StringBuilder builder, JsonNode? node, int blockIndent)
    {
        switch (node)
        {
            case null:
                builder.Append("null\n");
                return;
            case JsonObject:
                builder.Append("{}\n");
                return;
            case JsonArray:
                builder.Append("[]\n");
                return;
        }

        var value = node.AsValue();
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (CanBeLiteralBlock(text)) WriteLiteralBlock(builder, text, blockIndent);
                else builder.Append(YamlScalars.CanBePlain(text) ? text : YamlScalars.DoubleQuote(text)).Append('\n');
                return;
            case JsonValueKind.True:
                builder.Append("true\n");
                return;
            case JsonValueKind.False:
                builder.Append("false\n");
                return;
            case JsonValueKind.Null:
                builder.Append("null\n");
                return;
            default:
                // Numbers: the JSON text itself, so that 1.50 and 12345678901234567890 survive exactly.
                builder.Append(value.ToJsonString()).Append('\n');
                return;
        }
    }

    private static string Key(string key) => YamlScalars.CanBePlain(key) ? key : YamlScalars.DoubleQuote(key);

    /// <summary>Multi-line text without characters a literal block cannot hold, and not starting with a blank.</summary>
    private static bool CanBeLiteralBlock(string text)
    {
        if (!text.Contains('\n', StringComparison.Ordinal) || text[0] is ' ' or '\t' or '\n') return false;
        foreach (var c in text)
        {
            if (c != '\n' && c != '\t' && char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF') return false;
        }

        return true;
    }

    private static void WriteLiteralBlock(StringBuilder builder, string text, int indent)
    {
        var content = text.TrimEnd('\n');
        var trailing = text.Length - content.Length;
        builder.Append(trailing switch { 0 => "|-", 1 => "|", _ => "|+" }).Append('\n');
        foreach (var line in content.Split('\n'))
        {
            if (line.Length > 0) builder.Append(' ', indent).Append(line);
            builder.Append('\n');
        }

        // Keep chomping: the extra line breaks are part of the value.
        for (var i = 1; i < trailing; i++) builder.Append('\n');
    }
}
