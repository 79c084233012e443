using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Core.Resources;

namespace ControlPlane.Storage.State;

/// <summary>
/// An order-independent digest of the stored objects: the sum (mod 2^64) of a per-object hash of key,
/// resourceVersion and JSON. Adding or removing an object updates it in O(object size).
/// </summary>
public readonly record struct StateHash(ulong Value)
{
    public StateHash Add(StoredResource resource) => new(unchecked(Value + Of(resource)));

    public StateHash Remove(StoredResource resource) => new(unchecked(Value - Of(resource)));

    public override string ToString() => Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The object's share, computed once per object (see <see cref="StoredResource.DigestShare"/>).</summary>
    private static ulong Of(StoredResource resource)
    {
        var share = resource.DigestShare;
        if (share == 0) resource.DigestShare = share = Compute(resource);
        return share;
    }

    /// <summary>
    /// The first 8 bytes (little endian) of SHA-256 over the key's UTF-8, the resourceVersion as 8 little-endian bytes
    /// and the JSON. Hashed in one call over a pooled buffer, because an incremental hash object costs a native context
    /// per call. Snapshots store the sum, so the digest must never change.
    /// </summary>
    internal static ulong Compute(StoredResource resource)
    {
        // The key's text (ResourceKey.ToString()) formatted on the stack: every member hashes every object it stores.
        Span<char> keyChars = stackalloc char[1024];
        ReadOnlySpan<char> key = resource.Key.TryFormat(keyChars, out var keyCharCount) ? keyChars[..keyCharCount] : resource.Key.ToString();
        var keyLength = Encoding.UTF8.GetByteCount(key);
        var length = keyLength + sizeof(long) + resource.Json.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var input = rented.AsSpan(0, length);
            Encoding.UTF8.GetBytes(key, input);
            BinaryPrimitives.WriteInt64LittleEndian(input.Slice(keyLength, sizeof(long)), resource.ResourceVersion);
            resource.Json.CopyTo(input[(keyLength + sizeof(long))..]);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input, digest);
            return BinaryPrimitives.ReadUInt64LittleEndian(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
