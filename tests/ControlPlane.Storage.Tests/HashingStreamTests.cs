using System.Security.Cryptography;
using ControlPlane.Storage.Snapshots;

namespace ControlPlane.Storage.Tests;

/// <summary>The hash is taken in blocks; it must still be the SHA-256 of exactly the bytes that went by.</summary>
public sealed class HashingStreamTests
{
    /// <summary>Single bytes, small spans and spans larger than a block, crossing block boundaries, in a fixed order.</summary>
    private static byte[] Pattern(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[300_000];
        random.NextBytes(bytes);
        return bytes;
    }

    private static IEnumerable<int> Chunks(int seed, int total)
    {
        var random = new Random(seed);
        for (var left = total; left > 0;)
        {
            var size = Math.Min(left, random.Next(4) switch { 0 => 1, 1 => random.Next(2, 40), 2 => random.Next(40, 5_000), _ => random.Next(60_000, 140_000) });
            yield return size;
            left -= size;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Write_MixedSizes_HashIsSha256OfEverythingWritten(int seed)
    {
        var bytes = Pattern(seed);
        using var output = new MemoryStream();
        using var hashing = new HashingStream(output);
        var offset = 0;
        foreach (var size in Chunks(seed, bytes.Length))
        {
            if (size == 1) hashing.WriteByte(bytes[offset]);
            else hashing.Write(bytes.AsSpan(offset, size));
            offset += size;
        }

        Assert.Equal(bytes, output.ToArray());
        Assert.Equal(SHA256.HashData(bytes), hashing.GetCurrentHash());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Read_MixedSizes_HashIsSha256OfEverythingRead_AndStopsWhereTheReaderStopped(int seed)
    {
        var bytes = Pattern(seed);
        using var hashing = new HashingStream(new MemoryStream(bytes, writable: false));
        var read = new List<byte>();
        foreach (var size in Chunks(seed, bytes.Length - 1000))
        {
            if (size == 1)
            {
                read.Add((byte)hashing.ReadByte());
            }
            else
            {
                var buffer = new byte[size];
                hashing.ReadExactly(buffer);
                read.AddRange(buffer);
            }
        }

        Assert.Equal(bytes.AsSpan(0, bytes.Length - 1000).ToArray(), read.ToArray());
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 1000)), hashing.GetCurrentHash());
        Assert.Equal(1000, hashing.Remaining);
    }
}
