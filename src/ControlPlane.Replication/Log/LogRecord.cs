using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace ControlPlane.Replication.Log;

/// <summary>
/// One record on disk, little-endian: payload length (4 bytes), CRC-32 of everything after it (4), index (8), term
/// (8), the commit index when it was written (8), kind (1), payload. Records are written in the order the log changed,
/// so a record for an index at or below the last one read replaces that entry and drops the ones after it.
/// </summary>
internal readonly record struct LogRecord(long Index, long Term, long Commit, LogRecordKind Kind, ReadOnlyMemory<byte> Payload)
{
    public const int HeaderSize = 4 + 4 + 8 + 8 + 8 + 1;

    /// <summary>Records longer than this are refused when read: a torn length field must not make recovery allocate.</summary>
    public const int MaxPayload = 256 << 20;

    public static void Write(IBufferWriter<byte> output, long index, long term, long commit, LogRecordKind kind, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(HeaderSize + payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], index);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], term);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], commit);
        span[32] = (byte)kind;
        payload.CopyTo(span[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32.HashToUInt32(span[8..(HeaderSize + payload.Length)]));
        output.Advance(HeaderSize + payload.Length);
    }

    /// <summary>The payload length a record's header states; -1 when the header is incomplete or the length impossible.</summary>
    public static int PayloadLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize) return -1;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        return length is >= 0 and <= MaxPayload ? length : -1;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>; false when it is incomplete or its checksum does not
    /// match (a torn write), with <paramref name="length"/> 0.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, out LogRecord record, out int length)
    {
        record = default;
        length = 0;
        var span = data.Span;
        var payloadLength = PayloadLength(span);
        if (payloadLength < 0 || span.Length < HeaderSize + payloadLength) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[4..]) != Crc32.HashToUInt32(span[8..(HeaderSize + payloadLength)])) return false;
        var kind = (LogRecordKind)span[32];
        if (kind is not (LogRecordKind.Command or LogRecordKind.Configuration or LogRecordKind.Reset or LogRecordKind.Commit)) return false;
        record = new LogRecord(
            BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[24..]),
            kind,
            data.Slice(HeaderSize, payloadLength));
        length = HeaderSize + payloadLength;
        return true;
    }
}
