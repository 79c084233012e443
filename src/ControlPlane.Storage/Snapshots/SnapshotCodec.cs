using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Storage.State;

namespace ControlPlane.Storage.Snapshots;

/// <summary>
/// Writes and reads a whole <see cref="StoreState"/>: every object with its metadata and labels, and the
/// request-id table in its expiry order, so a restored replica answers retries exactly as the others do.
/// Layout (format 2): magic, format, applied index, object count, state hash, the objects, the request records,
/// then a SHA-256 of every byte before it (as etcd appends one to its snapshots). Read checks both the state
/// hash and the checksum, so a torn or corrupted snapshot is an <see cref="InvalidDataException"/>, never a
/// silently different state.
/// </summary>
public static class SnapshotCodec
{
    private const uint Magic = 0x31535043; // "CPS1"
    private const byte FormatVersion = 2;

    /// <summary>
    /// Writes <paramref name="state"/>; <paramref name="cancellationToken"/> is checked every few thousand records, so a
    /// node shutting down does not wait for a large snapshot (what was written is then not a snapshot, and is discarded).
    /// </summary>
    public static void Write(StoreState state, Stream stream, CancellationToken cancellationToken = default)
    {
        using var hashing = new HashingStream(stream);
        using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            WriteState(state, writer, cancellationToken);
        }

        stream.Write(hashing.GetCurrentHash());
    }

    private const int RecordsBetweenCancellationChecks = 4096;

    private static void WriteState(StoreState state, BinaryWriter writer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var written = 0;
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(state.AppliedIndex);
        writer.Write(state.ObjectCount);
        writer.Write(state.Hash.Value);
        foreach (var (_, objects) in state.Kinds)
        {
            foreach (var (key, resource) in objects)
            {
                if (++written % RecordsBetweenCancellationChecks == 0) cancellationToken.ThrowIfCancellationRequested();
                WriteKey(writer, key);
                writer.Write(resource.Uid);
                writer.Write(resource.ResourceVersion);
                writer.Write(resource.Generation);
                writer.Write(resource.CreationTimestampMs);
                writer.Write(resource.Labels.Count);
                foreach (var (label, value) in resource.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
                {
                    writer.Write(label);
                    writer.Write(value);
                }

                writer.Write(resource.Json.Length);
                writer.Write(resource.Json);
            }
        }

        writer.Write(state.Requests.Count);
        foreach (var record in state.Requests.Records)
        {
            if (++written % RecordsBetweenCancellationChecks == 0) cancellationToken.ThrowIfCancellationRequested();
            writer.Write(record.RequestId);
            writer.Write(record.TimestampMs);
            WriteKey(writer, record.Key);
            writer.Write((byte)record.Outcome);
            writer.Write((int)record.Error);
            writer.Write(record.Message);
            writer.Write(record.ResourceVersion);
        }

        writer.Flush();
    }

    /// <summary>Reads a snapshot; throws <see cref="InvalidDataException"/> when it is truncated, corrupt or of another format.</summary>
    public static StoreState Read(Stream stream)
    {
        using var hashing = new HashingStream(stream);
        StoreState state;
        Span<byte> recorded = stackalloc byte[HashingStream.HashLength];
        try
        {
            using var reader = new BinaryReader(hashing, Encoding.UTF8, leaveOpen: true);
            state = ReadState(reader, hashing);
            stream.ReadExactly(recorded);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"snapshot is truncated or corrupt: {e.Message}", e);
        }

        if (!recorded.SequenceEqual(hashing.GetCurrentHash()))
        {
            throw new InvalidDataException($"snapshot at index {state.AppliedIndex} is corrupt: its content does not match its checksum");
        }

        return state;
    }

    private static StoreState ReadState(BinaryReader reader, HashingStream stream)
    {
        if (reader.ReadUInt32() != Magic) throw new InvalidDataException("not a ControlPlane snapshot");
        var format = reader.ReadByte();
        if (format != FormatVersion) throw new InvalidDataException($"unknown snapshot format {format}");
        var appliedIndex = reader.ReadInt64();
        var count = reader.ReadInt64();
        var expectedHash = reader.ReadUInt64();

        var kinds = ImmutableSortedDictionary.CreateBuilder<ResourceKind, ImmutableSortedDictionary<ResourceKey, StoredResource>>();
        ImmutableSortedDictionary<ResourceKey, StoredResource>.Builder? current = null;
        ResourceKind currentKind = default;
        var hash = default(StateHash);
        for (long i = 0; i < count; i++)
        {
            var key = ReadKey(reader);
            var uid = reader.ReadString();
            var rv = reader.ReadInt64();
            var generation = reader.ReadInt64();
            var created = reader.ReadInt64();
            var labelCount = ReadLength(reader, stream, "label count");
            var labels = new Dictionary<string, string>(labelCount, StringComparer.Ordinal);
            for (var l = 0; l < labelCount; l++) labels[reader.ReadString()] = reader.ReadString();
            var json = reader.ReadBytes(ReadLength(reader, stream, "object length"));
            var resource = new StoredResource(key, uid, rv, generation, created, labels.ToFrozenDictionary(StringComparer.Ordinal), json);
            hash = hash.Add(resource);
            if (current is null || key.ResourceKind != currentKind)
            {
                if (current is not null) kinds.Add(currentKind, current.ToImmutable());
                current = StoreState.NoObjects.ToBuilder();
                currentKind = key.ResourceKind;
            }

            current.Add(key, resource);
        }

        if (current is not null) kinds.Add(currentKind, current.ToImmutable());
        if (hash.Value != expectedHash)
        {
            throw new InvalidDataException($"snapshot at index {appliedIndex} is corrupt: state hash {hash} does not match the recorded {new StateHash(expectedHash)}");
        }

        var requestCount = ReadLength(reader, stream, "request count");
        var records = new List<RequestRecord>(Math.Min(requestCount, StoreState.MaxRequestRecords));
        for (var i = 0; i < requestCount; i++)
        {
            records.Add(new RequestRecord(
                reader.ReadString(), reader.ReadInt64(), ReadKey(reader), (WriteOutcome)reader.ReadByte(), (ErrorCode)reader.ReadInt32(), reader.ReadString(), reader.ReadInt64()));
        }

        var requests = RequestTable.FromRecords(records); // the writer wrote the window, in which an id appears once

        return new StoreState
        {
            Kinds = kinds.ToImmutable(),
            AppliedIndex = appliedIndex,
            ObjectCount = count,
            Hash = hash,
            Requests = requests,
        };
    }

    /// <summary>Reads a count or length that must fit in what is left of the stream, so corruption cannot make Read allocate a huge buffer.</summary>
    private static int ReadLength(BinaryReader reader, HashingStream stream, string what)
    {
        var value = reader.ReadInt32();
        if (value < 0 || value > stream.Remaining)
        {
            throw new InvalidDataException($"snapshot is corrupt: {what} {value} does not fit in the {stream.Remaining} bytes left");
        }

        return value;
    }

    private static void WriteKey(BinaryWriter writer, ResourceKey key)
    {
        writer.Write(key.Group);
        writer.Write(key.Version);
        writer.Write(key.Kind);
        writer.Write(key.Namespace);
        writer.Write(key.Name);
    }

    private static ResourceKey ReadKey(BinaryReader reader) =>
        new(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString());
}
