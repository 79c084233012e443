using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Yaml;

namespace ControlPlane.Cli.Manifests;

/// <summary>
/// Reads resource objects from manifests: YAML (several documents separated by <c>---</c>), a JSON object, a JSON array
/// of objects, or a list (<c>{"kind":"List","items":[...]}</c>, in either syntax). Files, directories (their .json,
/// .yaml and .yml files, in name order) or standard input (<c>-</c>).
/// </summary>
internal static class ManifestReader
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Every object in the given files, in order.</summary>
    /// <param name="paths">File or directory paths; <c>-</c> is standard input.</param>
    /// <param name="stdin">Standard input.</param>
    /// <exception cref="ManifestException">A file is missing or unreadable, or holds something that is not an object.</exception>
    public static IReadOnlyList<Manifest> ReadAll(IEnumerable<string> paths, TextReader stdin)
    {
        var result = new List<Manifest>();
        foreach (var path in paths)
        {
            foreach (var (source, text) in Load(path, stdin)) result.AddRange(Parse(text, source));
        }

        return result;
    }

    /// <summary>The objects in one manifest's text.</summary>
    /// <param name="text">The manifest.</param>
    /// <param name="source">Its name, for messages.</param>
    /// <exception cref="ManifestException">It is malformed or holds something that is not an object.</exception>
    public static IReadOnlyList<Manifest> Parse(string text, string source)
    {
        var documents = LooksLikeJson(text, source) ? [ParseJson(text, source)] : ParseYaml(text, source);
        var result = new List<Manifest>();
        for (var i = 0; i < documents.Count; i++)
        {
            var where = documents.Count > 1 ? $"{source} (document {i + 1})" : source;
            Expand(documents[i], where, result);
        }

        return result;
    }

    private static void Expand(JsonNode? node, string where, List<Manifest> result)
    {
        switch (node)
        {
            case null:
                return; // an empty document, e.g. after a trailing ---
            case JsonObject obj when IsList(obj, out var items):
                for (var i = 0; i < items.Count; i++) AddObject(items[i], $"{where} item {i + 1}", result);
                return;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) AddObject(array[i], $"{where} item {i + 1}", result);
                return;
            default:
                AddObject(node, where, result);
                return;
        }
    }

    private static void AddObject(JsonNode? node, string where, List<Manifest> result)
    {
        if (node is not JsonObject obj)
            throw new ManifestException($"{where}: expected a resource object, found {Describe(node)}");
        // Detach from the list or array it came from, so it can be sent and printed on its own.
        result.Add(new Manifest((JsonObject)obj.DeepClone(), where));
    }

    private static bool IsList(JsonObject obj, out JsonArray items)
    {
        items = [];
        if (obj["kind"] is not JsonValue kind || !kind.TryGetValue<string>(out var name) || name != "List") return false;
        items = obj["items"] as JsonArray ?? [];
        return true;
    }

    private static bool LooksLikeJson(string text, string source)
    {
        if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return true;
        if (source.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) return false;
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '[')) return false;
        // YAML flow style also starts with { or [: only call it JSON when it parses as JSON.
        try
        {
            using var _ = JsonDocument.Parse(text, JsonOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonNode? ParseJson(string text, string source)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ManifestException($"{source}: invalid JSON: {ex.Message}", ex);
        }
    }

    private static IReadOnlyList<JsonNode?> ParseYaml(string text, string source)
    {
        try
        {
            return YamlReader.ReadDocuments(text);
        }
        catch (FormatException ex)
        {
            throw new ManifestException($"{source}: invalid YAML: {ex.Message}", ex);
        }
    }

    private static IEnumerable<(string Source, string Text)> Load(string path, TextReader stdin)
    {
        if (path == "-") return [("<stdin>", stdin.ReadToEnd())];
        try
        {
            if (Directory.Exists(path))
            {
                return Directory.EnumerateFiles(path)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .Select(f => (f, File.ReadAllText(f)))
                    .ToList();
            }

            return [(path, File.ReadAllText(path))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException($"{path}: {ex.Message}", ex);
        }
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue value => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => $"a string ({value.ToJsonString()})",
            System.Text.Json.JsonValueKind.Number => $"a number ({value.ToJsonString()})",
            _ => $"a boolean ({value.ToJsonString()})",
        },
        _ => node.GetType().Name,
    };
}
