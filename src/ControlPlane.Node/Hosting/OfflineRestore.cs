using System.Text.Json;
using ControlPlane.Replication;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Node.Hosting;

/// <summary>
/// <c>ControlPlane.Node --restore-only --restore-snapshot FILE --config NODE.json [--ControlPlane:Node:DataDirectory=DIR]</c>:
/// seeds the node's data directory from a saved snapshot and exits without starting the node, the way
/// <c>etcdutl snapshot restore</c> builds a member directory offline. <c>cpctl snapshot restore</c> runs this mode
/// (cpctl may not reference the replication layer, so the node binary is the one tool that owns the format).
/// Prints one JSON object (the <see cref="SnapshotSeed"/>) on stdout; exit code 0, or 2 with the reason on stderr.
/// </summary>
internal static class OfflineRestore
{
    public const string Flag = "--restore-only";

    public const int Refused = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string? snapshot, string? dataDirectory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(snapshot))
        {
            await error.WriteLineAsync($"{Flag} needs the snapshot to restore: --restore-snapshot FILE");
            return Refused;
        }

        if (string.IsNullOrEmpty(dataDirectory))
        {
            await error.WriteLineAsync($"{Flag} needs the data directory to seed: --config NODE.json (its ControlPlane:Node:DataDirectory) or --ControlPlane:Node:DataDirectory=DIR");
            return Refused;
        }

        try
        {
            var seed = await SnapshotRestore.SeedAsync(snapshot, dataDirectory, NullLogger.Instance, cancellationToken);
            await output.WriteLineAsync(JsonSerializer.Serialize(seed, Json));
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e.Message);
            return Refused;
        }
    }
}
