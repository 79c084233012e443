using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication.Log;

/// <summary>
/// An entry of <see cref="SegmentedLog"/> in memory, kept in a list of structs: no object per entry survives to the
/// older GC generations, only the arena blocks its payload lives in.
/// </summary>
internal struct LogSlot
{
    public long Term;

    /// <summary>The number of the record that wrote this entry; the entry is on disk once that record is.</summary>
    public long Sequence;

    public ReadOnlyMemory<byte> Payload;

    /// <summary>What the leader's writer waits on (handed to apply once, then cleared).</summary>
    public object? Context;

    public bool IsConfiguration;
}

/// <summary>A <see cref="LogSlot"/> as DotNext reads it: made for a read, gone after it.</summary>
internal sealed class StoredEntry(in LogSlot slot) : IRaftLogEntry
{
    private readonly ReadOnlyMemory<byte> _payload = slot.Payload;

    public long Term { get; } = slot.Term;

    public bool IsConfiguration { get; } = slot.IsConfiguration;

    public bool IsReusable => true;

    public long? Length => _payload.Length;

    public ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : IAsyncBinaryWriter => writer.Invoke(_payload, token);

    bool IDataTransferObject.TryGetMemory(out ReadOnlyMemory<byte> memory)
    {
        memory = _payload;
        return true;
    }
}

/// <summary>
/// Where the log's payloads live: appended into 1 MiB arrays (large objects, never copied by the GC) instead of an
/// array each, which would be promoted through every generation while the log keeps it. A block goes when no entry
/// (and no read in flight) refers to it any more.
/// </summary>
internal sealed class PayloadArena
{
    private const int BlockSize = 1 << 20;
    private readonly System.Threading.Lock _gate = new();
    private byte[] _block = new byte[BlockSize];
    private int _used;

    public ReadOnlyMemory<byte> Store(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > BlockSize / 4) return payload.ToArray();
        lock (_gate)
        {
            if (_used + payload.Length > _block.Length)
            {
                _block = new byte[BlockSize];
                _used = 0;
            }

            payload.CopyTo(_block.AsSpan(_used));
            var stored = new ReadOnlyMemory<byte>(_block, _used, payload.Length);
            _used += payload.Length;
            return stored;
        }
    }
}
