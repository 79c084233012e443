using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Testing.Checkers;

/// <summary>Saves a history as JSON and loads it back, so a failed chaos run can be re-checked offline.</summary>
public static class HistoryJson
{
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Serialize(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var document = new Document(FormatVersion, history.TicksPerSecond, new Dictionary<string, string>(history.Notes), [.. history.Operations]);
        return JsonSerializer.Serialize(document, Options);
    }

    /// <summary>Parses a saved history; a malformed one is an <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static History Deserialize(string json)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a saved history: {e.Message}", e);
        }

        if (document is null) throw new InvalidDataException("Not a saved history: the JSON is null.");
        if (document.Format != FormatVersion)
        {
            throw new InvalidDataException($"Saved history format {document.Format} is not supported (expected {FormatVersion}).");
        }

        try
        {
            var history = new History(document.Operations, document.TicksPerSecond) { Notes = document.Notes };
            HistoryValidator.Validate(history);
            return history;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Saved history is not valid: {e.Message}", e);
        }
    }

    public static async Task SaveAsync(History history, string path, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(path, Serialize(history), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<History> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Deserialize(json);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private sealed record Document(int Format, long TicksPerSecond, Dictionary<string, string> Notes, List<Operation> Operations);
}
