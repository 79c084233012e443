using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ControlPlane.Replication.Membership;

/// <summary>
/// The mark a removed member leaves in its data directory. Its old log and state describe a cluster it no
/// longer belongs to, so a node refuses to start on a marked directory: it must be wiped and added again.
/// </summary>
public sealed record RemovalMarker(long ConfigurationIndex, string RemovedBy, string Detail, long RemovedAtMs)
{
    public const string FileName = "REMOVED";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, FileName);

    public static bool TryRead(string dataDirectory, [NotNullWhen(true)] out RemovalMarker? marker)
    {
        marker = null;
        var path = PathIn(dataDirectory);
        if (!File.Exists(path)) return false;
        try
        {
            marker = JsonSerializer.Deserialize<RemovalMarker>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            // A torn or edited marker still means "removed".
        }

        marker ??= new RemovalMarker(0, "unknown", $"{path} is unreadable", 0);
        return true;
    }

    public void WriteTo(string dataDirectory) => DurableFile.WriteAllText(PathIn(dataDirectory), JsonSerializer.Serialize(this, Json));

    /// <summary>The message a client or an operator sees.</summary>
    public string Describe() =>
        $"removed at configuration index {ConfigurationIndex} by {RemovedBy} ({Detail}, {DateTimeOffset.FromUnixTimeMilliseconds(RemovedAtMs):u})";
}
