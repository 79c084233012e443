using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ControlPlane.Cli.Yaml;

/// <summary>
/// Reads YAML (one or more documents separated by <c>---</c>) into JSON values with the right scalar types: plain
/// scalars by the YAML 1.2 core schema, quoted and block scalars always as strings, explicit tags (!!str, !!int,
/// !!float, !!bool, !!null) obeyed. Anchors, aliases and merge keys (&lt;&lt;) are expanded.
/// </summary>
internal static class YamlReader
{
    private const int MaxDepth = 256;
    private const int MaxNodes = 1_000_000;
    private const string TagPrefix = "tag:yaml.org,2002:";

    /// <summary>Every document of <paramref name="text"/>, in order; an empty document is null.</summary>
    /// <exception cref="FormatException">The YAML is malformed or holds something JSON cannot; the message says where.</exception>
    public static IReadOnlyList<JsonNode?> ReadDocuments(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(new StringReader(text)));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"line {ex.Start.Line}, column {ex.Start.Column}: {Innermost(ex).Message}", ex);
        }

        var documents = new List<JsonNode?>(stream.Documents.Count);
        var budget = new Budget();
        foreach (var document in stream.Documents) documents.Add(Convert(document.RootNode, 0, budget));
        return documents;
    }

    private static JsonNode? Convert(YamlNode node, int depth, Budget budget)
    {
        if (depth > MaxDepth) throw Error(node, $"nesting deeper than {MaxDepth} levels");
        if (++budget.Nodes > MaxNodes) throw Error(node, $"more than {MaxNodes} values (an alias bomb?)");
        switch (node)
        {
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var child in sequence.Children) array.Add(Convert(child, depth + 1, budget));
                return array;
            case YamlMappingNode mapping:
                return ConvertMapping(mapping, depth, budget);
            default:
                throw Error(node, $"unsupported YAML node {node.NodeType}");
        }
    }

    /// <summary>A mapping, with merge keys (&lt;&lt;) expanded: explicit keys win, then earlier merged mappings.</summary>
    private static JsonObject ConvertMapping(YamlMappingNode mapping, int depth, Budget budget)
    {
        var obj = new JsonObject();
        var merges = new List<YamlMappingNode>();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain } && key.Tag.IsEmpty)
            {
                merges.AddRange(value switch
                {
                    YamlMappingNode single => [single],
                    YamlSequenceNode many when many.Children.All(c => c is YamlMappingNode) => many.Children.Cast<YamlMappingNode>(),
                    _ => throw Error(value, "a merge key (<<) takes a mapping or a sequence of mappings"),
                });
                continue;
            }

            if (key is not YamlScalarNode { Value: { } name })
                throw Error(key, "a mapping key must be a scalar to become a JSON property name");
            if (obj.ContainsKey(name)) throw Error(key, $"duplicate key \"{name}\"");
            obj[name] = Convert(value, depth + 1, budget);
        }

        foreach (var merge in merges)
        {
            foreach (var (name, value) in ConvertMapping(merge, depth + 1, budget).ToList())
            {
                if (obj.ContainsKey(name)) continue;
                obj[name] = value?.DeepClone();
            }
        }

        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        try
        {
            switch (tag)
            {
                case null:
                    if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
                    {
                        YamlScalars.TryResolvePlain(text, out var value);
                        return value;
                    }

                    return JsonValue.Create(text);
                case "!" or TagPrefix + "str":
                    return JsonValue.Create(text);
                case TagPrefix + "null":
                    return YamlScalars.TryResolvePlain(text, out var n) && n is null ? null : throw Error(scalar, $"!!null value \"{text}\" is not null");
                case TagPrefix + "bool":
                    return YamlScalars.TryResolvePlain(text, out var b) && b is JsonValue bv && bv.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                        ? b
                        : throw Error(scalar, $"!!bool value \"{text}\" is not true or false");
                case TagPrefix + "int" or TagPrefix + "float":
                    return YamlScalars.TryResolvePlain(text, out var number) && number is JsonValue nv && nv.GetValueKind() == System.Text.Json.JsonValueKind.Number
                        ? number
                        : throw Error(scalar, $"{tag[TagPrefix.Length..]} value \"{text}\" is not a number");
                default:
                    throw Error(scalar, $"unsupported tag {tag}");
            }
        }
        catch (FormatException ex) when (ex is not YamlFormatException)
        {
            throw Error(scalar, ex.Message);
        }
    }

    private static YamlFormatException Error(YamlNode node, string message) =>
        new($"line {node.Start.Line}, column {node.Start.Column}: {message}");

    private static Exception Innermost(Exception ex) => ex.InnerException is YamlException inner ? Innermost(inner) : ex;

    private sealed class Budget
    {
        public int Nodes;
    }

    private sealed class YamlFormatException(string message) : FormatException(message);
}
