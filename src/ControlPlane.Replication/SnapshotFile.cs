using System.Globalization;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace ControlPlane.Replication;

/// <summary>
/// A snapshot on disk, named <c>{index}-{term}</c> (the name <see cref="SnapshotRestore"/> seeds), as the log entry
/// DotNext sends to a member that is behind the compacted log. Files with any other name are not snapshots.
/// </summary>
internal sealed class SnapshotFile(FileInfo file, long index, long term) : ISnapshot
{
    /// <summary>Appended to a snapshot's name while it is written; restore deletes what a crash left with it.</summary>
    public const string PartialSuffix = ".partial";

    public long Index { get; } = index;

    public long Term { get; } = term;

    /// <summary>The file's name, <c>{index}-{term}</c>.</summary>
    public string Name => file.Name;

    public DateTimeOffset Timestamp => file.LastWriteTimeUtc;

    public long? Length => file.Length;

    public bool IsReusable => true;

    public static string PathFor(DirectoryInfo location, long index, long term)
        => Path.Combine(location.FullName, string.Create(CultureInfo.InvariantCulture, $"{index}-{term}"));

    /// <summary>Every file in <paramref name="location"/> whose name is exactly <c>{index}-{term}</c>.</summary>
    public static IEnumerable<SnapshotFile> FindAll(DirectoryInfo location)
    {
        foreach (var candidate in location.EnumerateFiles("*-*"))
        {
            if (candidate.Name.Split('-') is [var index, var term]
                && long.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                && long.TryParse(term, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                yield return new SnapshotFile(candidate, i, t);
            }
        }
    }

    public FileStream OpenRead(FileOptions options = FileOptions.None) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, options | FileOptions.SequentialScan);

    public void Delete() => file.Delete();

    public async ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : IAsyncBinaryWriter
    {
        var stream = OpenRead(FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await writer.CopyFromAsync(stream, count: null, token).ConfigureAwait(false);
        }
    }
}
