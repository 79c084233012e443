namespace ControlPlane.Replication.Log;

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
