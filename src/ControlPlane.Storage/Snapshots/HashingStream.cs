using System.Security.Cryptography;

namespace ControlPlane.Storage.Snapshots;

/// <summary>
/// Passes reads or writes through to another stream and keeps a SHA-256 of every byte that went by, so a
/// snapshot can carry a checksum of its whole content without buffering it.
/// </summary>
internal sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

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
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _hash.AppendData(buffer);
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a hashing stream cannot seek");

    public override void SetLength(long value) => throw new NotSupportedException("a hashing stream cannot seek");

    /// <summary>The SHA-256 of every byte read or written so far.</summary>
    public byte[] GetCurrentHash() => _hash.GetCurrentHash();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
