using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ControlPlane.Replication.Log;

/// <summary>
/// The files of a <see cref="SegmentedLog"/>: records appended to the newest segment through a handle opened with
/// <see cref="FileOptions.WriteThrough"/> (O_DSYNC), so one write call puts a batch on disk with one sync. A segment
/// is named by a sequence number, so the names sort in the order the records were written (an overwrite may take the
/// log back below the indexes of the segment before); a new one starts when the current one passes the size limit,
/// and its name is made durable by syncing the folder before anything is written to it. Only the log's flusher (and
/// its recovery, before that) calls this class; <see cref="SegmentReader"/> reads beside it with handles of its own.
/// </summary>
internal sealed class LogSegments : IDisposable
{
    private const string Suffix = ".seg";
    private readonly DirectoryInfo _directory;
    private readonly long _segmentBytes;
    private readonly List<Segment> _segments = [];
    private SafeFileHandle? _active;

    public LogSegments(DirectoryInfo directory, long segmentBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        directory.Create();
        foreach (var file in directory.EnumerateFiles("*" + Suffix))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file.Name), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                _segments.Add(new Segment(file.FullName, sequence) { Length = file.Length });
            }
        }

        _segments.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
    }

    public int Count => _segments.Count;

    /// <summary>
    /// Reads every record in order. A record that cannot be read ends the log when it is in the newest segment (a
    /// write torn by a crash: the segment is cut there); anywhere else the log is corrupt and this throws.
    /// </summary>
    public IEnumerable<(LogRecord Record, RecordPosition Position)> ReadAll()
    {
        for (var s = 0; s < _segments.Count; s++)
        {
            var segment = _segments[s];
            ReadOnlyMemory<byte> data = File.ReadAllBytes(segment.Path);
            var offset = 0;
            while (offset < data.Length)
            {
                if (!LogRecord.TryRead(data[offset..], out var record, out var length))
                {
                    if (s != _segments.Count - 1)
                    {
                        throw new InvalidDataException($"log segment {segment.Path} is damaged at byte {offset} and is not the newest one; the log cannot be trusted");
                    }

                    using (var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Write))
                    {
                        RandomAccess.SetLength(handle, offset);
                        RandomAccess.FlushToDisk(handle);
                    }

                    segment.Length = offset;
                    yield break;
                }

                segment.MaxIndex = long.Max(segment.MaxIndex, record.Index);
                yield return (record, new RecordPosition(segment.Sequence, offset));
                offset += length;
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="batch"/>, whose records go up to index <paramref name="maxIndex"/>, and returns once it
    /// is on disk, with where the batch starts.
    /// </summary>
    public RecordPosition Append(ReadOnlySpan<byte> batch, long maxIndex)
    {
        var current = _segments.Count == 0 ? null : _segments[^1];
        if (current is null || (current.Length > 0 && current.Length + batch.Length > _segmentBytes))
        {
            current = Start();
        }

        _active ??= File.OpenHandle(current.Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, FileOptions.WriteThrough);
        var start = new RecordPosition(current.Sequence, current.Length);
        RandomAccess.Write(_active, batch, current.Length);
        current.Length += batch.Length;
        current.MaxIndex = long.Max(current.MaxIndex, maxIndex);
        return start;
    }

    /// <summary>Reads evicted payloads back from these segments (see <see cref="SegmentReader"/>).</summary>
    public SegmentReader OpenReader() => new(PathFor);

    /// <summary>
    /// Deletes the oldest segments, up to the first that holds a record above <paramref name="index"/> (in a snapshot),
    /// never the newest. Only a prefix goes, so what stays is every change since the snapshot, in order: a segment that
    /// replaced entries cannot go while an older one still holds what it replaced.
    /// </summary>
    public void DeleteUpTo(long index) => DeleteOldestWhile(segment => segment.MaxIndex <= index);

    /// <summary>Deletes every segment but the newest (a snapshot was installed and recorded in the newest).</summary>
    public void DeleteAllButNewest() => DeleteOldestWhile(_ => true);

    /// <summary>Starts a new segment, so that everything before it can go once the next write is in it.</summary>
    public void Rotate() => Start();

    public void Dispose() => _active?.Dispose();

    private void DeleteOldestWhile(Func<Segment, bool> obsolete)
    {
        while (_segments.Count > 1 && obsolete(_segments[0]))
        {
            File.Delete(_segments[0].Path);
            _segments.RemoveAt(0);
        }
    }

    private Segment Start()
    {
        _active?.Dispose();
        _active = null;
        var sequence = _segments.Count == 0 ? 1 : _segments[^1].Sequence + 1;
        var path = PathFor(sequence);
        using (File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
        }

        DurableFile.SyncDirectory(_directory.FullName);
        var segment = new Segment(path, sequence);
        _segments.Add(segment);
        return segment;
    }

    private string PathFor(long sequence) => Path.Combine(_directory.FullName, sequence.ToString("D20", CultureInfo.InvariantCulture) + Suffix);

    private sealed class Segment(string path, long sequence)
    {
        public string Path { get; } = path;

        public long Sequence { get; } = sequence;

        public long Length { get; set; }

        public long MaxIndex { get; set; }
    }
}
