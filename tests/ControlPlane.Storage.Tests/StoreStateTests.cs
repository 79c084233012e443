using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed class StoreStateTests
{
    /// <summary>
    /// A kind's objects are listed (and continued after) in <see cref="ResourceKey"/> order: namespace, then name,
    /// ordinally. The per-kind map orders by those two alone, which must agree with that order when written, when
    /// restored from a snapshot, and when written again after the restore.
    /// </summary>
    [Fact]
    public void ObjectsOfAKind_InNamespaceThenNameOrder_WrittenRestoredAndWrittenAgain()
    {
        var replica = new Replica();
        foreach (var (ns, name) in new[] { ("b", "x"), ("a", "z"), ("b", "a"), ("ab", "m"), ("a", "b"), ("a", "a-1") })
        {
            replica.Apply(Put(ns, name));
        }

        AssertInKeyOrder(replica.State, 6);
        var restored = Replica.Restore(replica.Snapshot());
        AssertInKeyOrder(restored.State, 6);
        restored.Apply(Put("aa", "c"));
        restored.Apply(Put("b", "b"));
        AssertInKeyOrder(restored.State, 8);
        Assert.NotNull(restored.State.Find(new ResourceKey("example.io", "v1", Kind, "aa", "c")));
        Assert.Null(restored.State.Find(new ResourceKey("example.io", "v1", "Gadget", "aa", "c")));
    }

    private static ResourceCommand Put(string ns, string name) => Command(
        WriteKind.Put,
        new ResourceKey("example.io", "v1", Kind, ns, name),
        $$$"""{"apiVersion":"{{{ApiVersion}}}","kind":"{{{Kind}}}","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"}}""");

    private static void AssertInKeyOrder(StoreState state, int count)
    {
        var keys = state.OfKind(new ResourceKind("example.io", "v1", Kind)).Keys.ToList();
        Assert.Equal(count, keys.Count);
        Assert.Equal(keys.Order(), keys);
    }
}
