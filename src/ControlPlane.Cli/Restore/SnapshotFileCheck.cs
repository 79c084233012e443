using System.Security.Cryptography;

namespace ControlPlane.Cli.Restore;

/// <summary>
/// What cpctl checks in a snapshot file before it asks the node binary to restore it: the file ends with a SHA-256
/// of every byte before it (as etcd's snapshots do), and, when the operator gives one, the SHA-256 of the whole
/// file equals the one <c>cpctl snapshot save</c> printed. The node checks the contents again (format, state hash).
/// </summary>
internal static class SnapshotFileCheck
{
    private const int TrailerBytes = 32;

    /// <summary>The hex SHA-256 of the whole file; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static async Task<string> VerifyAsync(string path, string? expectedSha256, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        if (bytes.Length <= TrailerBytes)
            throw new InvalidDataException($"{path} is not a ControlPlane snapshot: {bytes.Length} bytes is shorter than any snapshot (truncated?)");
        var content = bytes.AsSpan(0, bytes.Length - TrailerBytes);
        if (!SHA256.HashData(content).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - TrailerBytes)))
            throw new InvalidDataException($"{path} is corrupt or truncated: its SHA-256 trailer does not match its contents");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.IsNullOrEmpty(expectedSha256) && !string.Equals(sha256, expectedSha256.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path} has SHA-256 {sha256}, not the expected {expectedSha256.Trim()}: it is not the snapshot that was saved");
        return sha256;
    }
}
