using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Storage.Commands;

/// <summary>
/// The replicated log format for <see cref="ResourceCommand"/>: our own compact, versioned binary layout,
/// never the public API messages, so the API can evolve without migrating logs.
/// Layout (format 1): magic 'C', format, kind, reason, flags, expectedRv (i64), timestamp (i64), maxObjectBytes (i32),
/// then length-prefixed UTF-8 strings uid, requestId, principal, group, version, kind, namespace, name,
/// then the body's length (i32) and bytes.
/// </summary>
public static class CommandCodec
{
    public const byte Magic = (byte)'C';
    public const byte FormatVersion = 1;
    private const int FixedHeader = 5 + 8 + 8 + 4;

    public static void Encode(ResourceCommand command, IBufferWriter<byte> writer)
    {
        var header = writer.GetSpan(FixedHeader);
        header[0] = Magic;
        header[1] = FormatVersion;
        header[2] = (byte)command.Kind;
        header[3] = (byte)command.Reason;
        header[4] = command.CreateOnly ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(header[5..], command.ExpectedResourceVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[13..], command.TimestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(header[21..], command.MaxObjectBytes);
        writer.Advance(FixedHeader);
        WriteString(writer, command.Uid);
        WriteString(writer, command.RequestId);
        WriteString(writer, command.Principal);
        WriteString(writer, command.Key.Group);
        WriteString(writer, command.Key.Version);
        WriteString(writer, command.Key.Kind);
        WriteString(writer, command.Key.Namespace);
        WriteString(writer, command.Key.Name);
        var body = command.Body.Span;
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), body.Length);
        writer.Advance(4);
        writer.Write(body);
    }

    /// <summary>The encoded command in an array of exactly its size: one allocation per write on the leader.</summary>
    public static byte[] Encode(ResourceCommand command)
    {
        var buffer = new byte[EncodedLength(command)];
        var writer = new FixedWriter(buffer);
        Encode(command, writer);
        if (writer.Written != buffer.Length) throw new UnreachableException($"a command of {buffer.Length} bytes was encoded in {writer.Written}");
        return buffer;
    }

    private static int EncodedLength(ResourceCommand command)
    {
        var key = command.Key;
        return FixedHeader + StringLength(command.Uid) + StringLength(command.RequestId) + StringLength(command.Principal)
            + StringLength(key.Group) + StringLength(key.Version) + StringLength(key.Kind) + StringLength(key.Namespace) + StringLength(key.Name)
            + sizeof(int) + command.Body.Length;
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over one array sized in advance; asking for more than is left fails.</summary>
    private sealed class FixedWriter(byte[] buffer) : IBufferWriter<byte>
    {
        public int Written { get; private set; }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(Written);

        public Span<byte> GetSpan(int sizeHint = 0) =>
            sizeHint <= buffer.Length - Written ? buffer.AsSpan(Written) : throw new UnreachableException("the command's encoded length was computed short");
    }

    /// <summary>Decodes one command; throws <see cref="InvalidDataException"/> on a corrupt or unknown entry.</summary>
    public static ResourceCommand Decode(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        Span<byte> header = stackalloc byte[FixedHeader];
        if (!reader.TryCopyTo(header)) throw new InvalidDataException("command shorter than its header");
        reader.Advance(FixedHeader);
        if (header[0] != Magic) throw new InvalidDataException($"not a resource command (magic 0x{header[0]:x2})");
        if (header[1] != FormatVersion) throw new InvalidDataException($"unknown command format {header[1]}");
        var kind = (WriteKind)header[2];
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"unknown command kind {header[2]}");
        var reason = (Reason)header[3];
        if (!Enum.IsDefined(reason)) throw new InvalidDataException($"unknown command reason {header[3]}");
        if (header[4] > 1) throw new InvalidDataException($"unknown command flags 0x{header[4]:x2}");
        var uid = ReadString(ref reader);
        var requestId = ReadString(ref reader);
        var principal = ReadString(ref reader);
        var key = new ResourceKey(ReadName(ref reader), ReadName(ref reader), ReadName(ref reader), ReadName(ref reader), ReadString(ref reader));
        if (!reader.TryReadLittleEndian(out int bodyLength) || bodyLength < 0 || reader.Remaining < bodyLength)
        {
            throw new InvalidDataException("command body truncated");
        }

        var body = new byte[bodyLength];
        reader.TryCopyTo(body);
        reader.Advance(bodyLength);
        if (!reader.End) throw new InvalidDataException("trailing bytes after command");
        return new ResourceCommand
        {
            Kind = kind,
            Reason = reason,
            CreateOnly = header[4] != 0,
            ExpectedResourceVersion = BinaryPrimitives.ReadInt64LittleEndian(header[5..]),
            TimestampMs = BinaryPrimitives.ReadInt64LittleEndian(header[13..]),
            MaxObjectBytes = BinaryPrimitives.ReadInt32LittleEndian(header[21..]),
            Uid = uid,
            RequestId = requestId,
            Principal = principal,
            Key = key,
            Body = body,
        };
    }

    internal static void WriteString(IBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var span = writer.GetSpan(4 + length);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        Encoding.UTF8.GetBytes(value, span[4..]);
        writer.Advance(4 + length);
    }

    private static int StringLength(string value) => sizeof(int) + Encoding.UTF8.GetByteCount(value);

    /// <summary>
    /// Groups, versions, kinds and namespaces decoded before: few distinct values, decoded by every member for every
    /// command, so each is one string for the process instead of one per command. Bounded, for a cluster with an
    /// unusual number of them; past the bound, names are decoded as they come.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> NamesBySpan = Names.GetAlternateLookup<ReadOnlySpan<char>>();
    private const int MaxNames = 4096;

    /// <summary>About how many names the table holds (ConcurrentDictionary.Count takes every lock of the table).</summary>
    private static int _nameCount;

    /// <summary>A group, version, kind or namespace: the string decoded before when there is one.</summary>
    private static string ReadName(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadLittleEndian(out int length) || length < 0 || reader.Remaining < length)
        {
            throw new InvalidDataException("string truncated");
        }

        // Names are at most 253 characters; anything longer (or split across segments) is read as any string.
        if (length == 0 || length > 256 || reader.UnreadSpan.Length < length)
        {
            reader.Rewind(sizeof(int));
            return ReadString(ref reader);
        }

        var utf8 = reader.UnreadSpan[..length];
        Span<char> chars = stackalloc char[256];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        if (!NamesBySpan.TryGetValue(chars[..count], out var value))
        {
            value = new string(chars[..count]);
            if (Volatile.Read(ref _nameCount) < MaxNames && Names.TryAdd(value, value)) Interlocked.Increment(ref _nameCount);
        }

        reader.Advance(length);
        return value;
    }

    internal static string ReadString(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadLittleEndian(out int length) || length < 0 || reader.Remaining < length)
        {
            throw new InvalidDataException("string truncated");
        }

        if (length == 0) return string.Empty;
        string value;
        if (reader.UnreadSpan.Length >= length)
        {
            value = Encoding.UTF8.GetString(reader.UnreadSpan[..length]);
        }
        else
        {
            var bytes = new byte[length];
            reader.TryCopyTo(bytes);
            value = Encoding.UTF8.GetString(bytes);
        }

        reader.Advance(length);
        return value;
    }
}
