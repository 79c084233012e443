using System.Security.Cryptography;
using System.Text.Json;
using ControlPlane.Storage.Snapshots;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// Seeds a fresh data directory from a saved snapshot (cpctl snapshot save), the way back after a cluster lost
/// quorum for good. The snapshot becomes the state machine's own snapshot file <c>{index}-0</c> before the WAL
/// exists, so DotNext's WAL starts with its commit and last index at the snapshot's index: the first entry the
/// new cluster writes gets index + 1 and every restored object keeps its resourceVersion, which therefore never
/// goes backwards. The term is 0 so the new cluster's terms (1, 2, ...) are all above it and Raft's
/// "more up-to-date log" comparison stays sound. Every initial member of the new cluster restores the same file.
/// </summary>
public static partial class SnapshotRestore
{
    public const string MarkerFileName = "RESTORED";

    /// <summary>
    /// Seeds <paramref name="dataDirectory"/> from <paramref name="snapshotPath"/> unless it was already seeded
    /// from the same bytes (a restart with the same flag is harmless). Refuses a directory that holds data.
    /// Checks everything (the file exists, the directory is empty, the snapshot decodes, its SHA-256 trailer and
    /// state hash match) before it writes anything, so a refusal leaves the file system as it was.
    /// </summary>
    public static async Task<SnapshotSeed> SeedAsync(string snapshotPath, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var source = new FileInfo(Path.GetFullPath(snapshotPath));
        if (!source.Exists) throw new FileNotFoundException($"snapshot to restore {source.FullName} does not exist", source.FullName);
        var bytes = await File.ReadAllBytesAsync(source.FullName, cancellationToken).ConfigureAwait(false);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        dataDirectory = Path.GetFullPath(dataDirectory);
        var markerPath = Path.Combine(dataDirectory, MarkerFileName);
        if (File.Exists(markerPath))
        {
            var marker = JsonSerializer.Deserialize<RestoreMarker>(await File.ReadAllTextAsync(markerPath, cancellationToken).ConfigureAwait(false));
            if (marker?.Sha256 == sha256)
            {
                LogAlreadyRestored(logger, dataDirectory, marker.AppliedIndex);
                return new SnapshotSeed(source.FullName, dataDirectory, sha256, marker.AppliedIndex, marker.ObjectCount, marker.StateHash, AlreadyRestored: true);
            }

            throw new InvalidOperationException($"data directory {dataDirectory} was restored from another snapshot (sha256 {marker?.Sha256}); a restore needs an empty data directory");
        }

        if (File.Exists(dataDirectory)) throw new InvalidOperationException($"the data directory {dataDirectory} is a file; a restore needs an empty directory, or a path that does not exist yet");
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new InvalidOperationException($"a restore needs an empty data directory, but {dataDirectory} already holds data; use a new directory (or delete this one) for every member of the restored cluster");
        }

        Storage.State.StoreState state;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            state = SnapshotCodec.Read(stream);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{source.FullName} is not a usable ControlPlane snapshot: {e.Message}", e);
        }

        // The seeded file is durable, name included, before the marker says the directory was restored.
        var target = SnapshotFile.PathFor(Directory.CreateDirectory(Path.Combine(dataDirectory, "snapshots")), state.AppliedIndex, 0);
        await DurableFile.WriteAsync(target, target + SnapshotFile.PartialSuffix, file => file.WriteAsync(bytes, cancellationToken).AsTask()).ConfigureAwait(false);
        DurableFile.WriteAllText(markerPath, JsonSerializer.Serialize(new RestoreMarker(source.FullName, sha256, state.AppliedIndex, state.ObjectCount, state.Hash.ToString())));
        LogRestored(logger, source.FullName, state.AppliedIndex, state.ObjectCount, state.Hash.ToString(), dataDirectory);
        return new SnapshotSeed(source.FullName, dataDirectory, sha256, state.AppliedIndex, state.ObjectCount, state.Hash.ToString(), AlreadyRestored: false);
    }

    private sealed record RestoreMarker(string Source, string Sha256, long AppliedIndex, long ObjectCount, string StateHash);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Restored {Source} into {Directory}: {Objects} objects at index {Index}, state hash {Hash}; the new cluster's log continues above that index")]
    private static partial void LogRestored(ILogger logger, string source, long index, long objects, string hash, string directory);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Data directory {Directory} was already restored from this snapshot (index {Index}); starting normally")]
    private static partial void LogAlreadyRestored(ILogger logger, string directory, long index);
}
