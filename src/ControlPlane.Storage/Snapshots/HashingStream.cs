using System.Security.Cryptography;

namespace ControlPlane.Storage.Snapshots;

/// <summary>
/// Passes reads or writes through to another stream and keeps a SHA-256 of every byte that went by, so a
/// snapshot can carry a checksum of its whole content without buffering it. The bytes are hashed in blocks:
/// <see cref="BinaryWriter"/> and <see cref="BinaryReader"/> move a few bytes per call, and hashing each call on its
/// own (a call into the crypto library per field, a byte-sized one per byte of a string's length) cost more than
/// everything else a snapshot does.
/// </summary>
internal sealed class HashingStream : Stream
{
    private const int BlockSize = 64 * 1024;
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _pending = new byte[BlockSize];
    private int _pendingCount;

    public HashingStream(Stream inner) => _inner = inner;

    public const int HashLength = 32;

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException("a hashing stream cannot seek");

    public override long Position
    {
        get => throw new NotSupportedException("a hashing stream cannot seek");
        set => throw new NotSupportedException("a hashing stream cannot seek");
    }

    /// <summary>How many bytes the inner stream has left, or <see cref="long.MaxValue"/> when it cannot tell.</summary>
    public long Remaining => _inner.CanSeek ? _inner.Length - _inner.Position : long.MaxValue;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Hash(buffer[..read]);
        return read;
    }

    public override int ReadByte()
    {
        var value = _inner.ReadByte();
        if (value >= 0) Hash((byte)value);
        return value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Hash(buffer);
    }

    public override void WriteByte(byte value)
    {
        _inner.WriteByte(value);
        Hash(value);
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a hashing stream cannot seek");

    public override void SetLength(long value) => throw new NotSupportedException("a hashing stream cannot seek");

    /// <summary>The SHA-256 of every byte read or written so far.</summary>
    public byte[] GetCurrentHash()
    {
        HashPending();
        return _hash.GetCurrentHash();
    }

    private void Hash(byte value)
    {
        if (_pendingCount == BlockSize) HashPending();
        _pending[_pendingCount++] = value;
    }

    private void Hash(ReadOnlySpan<byte> data)
    {
        if (_pendingCount + data.Length > BlockSize) HashPending();
        if (data.Length >= BlockSize)
        {
            _hash.AppendData(data);
            return;
        }

        data.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += data.Length;
    }

    private void HashPending()
    {
        if (_pendingCount == 0) return;
        _hash.AppendData(_pending.AsSpan(0, _pendingCount));
        _pendingCount = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
