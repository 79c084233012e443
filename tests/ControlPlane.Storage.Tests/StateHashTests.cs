using System.Collections.Frozen;
using System.Text;
using ControlPlane.Core.Resources;
using ControlPlane.Storage.State;

namespace ControlPlane.Storage.Tests;

public sealed class StateHashTests
{
    /// <summary>
    /// Snapshots store the state hash and a restore checks it, so the per-object digest (the first 8 bytes, little
    /// endian, of SHA-256 over the key, the resourceVersion as 8 little-endian bytes, and the JSON) must never change.
    /// The value was computed by the first implementation.
    /// </summary>
    [Fact]
    public void Add_IsTheStableDigestOfKeyVersionAndJson()
    {
        var resource = Resource("web-1", 42, """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"web-1"},"spec":{"size":3}}""");

        var hash = default(StateHash).Add(resource);

        Assert.Equal(Pinned, hash.ToString());
    }

    [Fact]
    public void Remove_UndoesAdd_InAnyOrder()
    {
        var a = Resource("a", 1, """{"a":1}""");
        var b = Resource("b", 2, new string('x', 5000));
        var both = default(StateHash).Add(a).Add(b);

        Assert.Equal(default(StateHash).Add(b).Add(a), both);
        Assert.Equal(default(StateHash).Add(a), both.Remove(b));
        Assert.Equal(default, both.Remove(a).Remove(b));
    }

    /// <summary>
    /// A replace or delete subtracts the share the store added for the old version, hashed once when it was stored:
    /// shown by changing the bytes behind the object's back (which the store never does), after which a recomputed
    /// share would no longer cancel out.
    /// </summary>
    [Fact]
    public void Remove_SubtractsTheShareComputedWhenAdded_WithoutHashingAgain()
    {
        var resource = Resource("a", 1, """{"spec":{"size":1}}""");
        var added = default(StateHash).Add(resource);

        resource.Json[^2] = (byte)'9';

        Assert.Equal(default, added.Remove(resource));
        Assert.NotEqual(added, default(StateHash).Add(Resource("a", 1, """{"spec":{"size":9}}""")));
    }

    private const string Pinned = "8da5c9484a4eacc0";

    private static StoredResource Resource(string name, long rv, string json) =>
        new(new ResourceKey("example.com", "v1", "Widget", "default", name), "uid-" + name, rv, 1, 0,
            FrozenDictionary<string, string>.Empty, Encoding.UTF8.GetBytes(json));
}
