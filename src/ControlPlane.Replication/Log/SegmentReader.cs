using Microsoft.Win32.SafeHandles;

namespace ControlPlane.Replication.Log;

/// <summary>
/// Reads records back from <see cref="LogSegments"/>: the payloads of applied entries that left memory, for a member
/// that far behind. It keeps the segment it read last open, so a run of entries costs one open. Safe beside the
/// flusher, which only appends to a segment and deletes one only once no entry in memory is in it.
/// </summary>
internal sealed class SegmentReader(Func<long, string> pathFor) : IDisposable
{
    private SafeFileHandle? _handle;
    private long _segment;

    /// <summary>
    /// The payload of the record at <paramref name="position"/>, which must hold entry <paramref name="index"/> of
    /// <paramref name="term"/> and check out; anything else means the log cannot be trusted, and this throws.
    /// </summary>
    public ReadOnlyMemory<byte> ReadPayload(RecordPosition position, long index, long term)
    {
        var handle = Open(position.Segment);
        Span<byte> header = stackalloc byte[LogRecord.HeaderSize];
        var length = RandomAccess.Read(handle, header, position.Offset) == header.Length ? LogRecord.PayloadLength(header) : -1;
        var record = length < 0 ? [] : new byte[LogRecord.HeaderSize + length];
        if (record.Length == 0 || RandomAccess.Read(handle, record, position.Offset) != record.Length
            || !LogRecord.TryRead(record, out var read, out _) || read.Index != index || read.Term != term)
        {
            throw new InvalidDataException($"log segment {pathFor(position.Segment)} does not hold entry {index} of term {term} at byte {position.Offset}; the log cannot be trusted");
        }

        return read.Payload;
    }

    public void Dispose() => _handle?.Dispose();

    private SafeFileHandle Open(long segment)
    {
        if (_handle is not null && _segment == segment) return _handle;
        _handle?.Dispose();
        _handle = File.OpenHandle(pathFor(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _segment = segment;
        return _handle;
    }
}
