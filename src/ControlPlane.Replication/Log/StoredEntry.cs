using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication.Log;

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
