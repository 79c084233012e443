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

    private static ulong Of(StoredResource resource)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(resource.Key.ToString()));
        Span<byte> rv = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(rv, resource.ResourceVersion);
        hash.AppendData(rv);
        hash.AppendData(resource.Json);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
