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
/// The stored hash is checked on read, which catches a torn or corrupted snapshot.
/// </summary>
public static class SnapshotCodec
{
    private const uint Magic = 0x31535043; // "CPS1"
    private const byte FormatVersion = 1;

    public static void Write(StoreState state, Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(state.AppliedIndex);
        writer.Write(state.ObjectCount);
        writer.Write(state.Hash.Value);
        foreach (var (_, objects) in state.Kinds)
        {
            foreach (var (key, resource) in objects)
            {
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

        var live = new List<RequestRecord>(state.Requests.Count);
        foreach (var record in state.RequestOrder)
        {
            if (state.Requests.TryGetValue(record.RequestId, out var current) && ReferenceEquals(current, record)) live.Add(record);
        }

        writer.Write(live.Count);
        foreach (var record in live)
        {
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

    public static StoreState Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
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
            var labelCount = reader.ReadInt32();
            var labels = new Dictionary<string, string>(labelCount, StringComparer.Ordinal);
            for (var l = 0; l < labelCount; l++) labels[reader.ReadString()] = reader.ReadString();
            var json = reader.ReadBytes(reader.ReadInt32());
            var resource = new StoredResource(key, uid, rv, generation, created, labels.ToFrozenDictionary(StringComparer.Ordinal), json);
            hash = hash.Add(resource);
            if (current is null || key.ResourceKind != currentKind)
            {
                if (current is not null) kinds[currentKind] = current.ToImmutable();
                current = ImmutableSortedDictionary.CreateBuilder<ResourceKey, StoredResource>();
                currentKind = key.ResourceKind;
            }

            current.Add(key, resource);
        }

        if (current is not null) kinds[currentKind] = current.ToImmutable();
        if (hash.Value != expectedHash)
        {
            throw new InvalidDataException($"snapshot at index {appliedIndex} is corrupt: state hash {hash} does not match the recorded {new StateHash(expectedHash)}");
        }

        var requests = ImmutableDictionary.CreateBuilder<string, RequestRecord>(StringComparer.Ordinal);
        var order = ImmutableQueue<RequestRecord>.Empty;
        var requestCount = reader.ReadInt32();
        for (var i = 0; i < requestCount; i++)
        {
            var record = new RequestRecord(
                reader.ReadString(), reader.ReadInt64(), ReadKey(reader), (WriteOutcome)reader.ReadByte(), (ErrorCode)reader.ReadInt32(), reader.ReadString(), reader.ReadInt64());
            requests[record.RequestId] = record;
            order = order.Enqueue(record);
        }

        return new StoreState
        {
            Kinds = kinds.ToImmutable(),
            AppliedIndex = appliedIndex,
            ObjectCount = count,
            Hash = hash,
            Requests = requests.ToImmutable(),
            RequestOrder = order,
        };
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
