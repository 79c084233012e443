using System.Collections;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace ControlPlane.Client;

/// <summary>The objects of a list page as received, each parsed on first access (see <see cref="LazyJsonObject"/>).</summary>
internal sealed class LazyJsonObjectList : IReadOnlyList<JsonObject>
{
    private readonly LazyJsonObject[] _items;

    public LazyJsonObjectList(IReadOnlyList<ByteString> items, string what)
    {
        _items = new LazyJsonObject[items.Count];
        for (var i = 0; i < _items.Length; i++) _items[i] = new LazyJsonObject(items[i].Memory, what);
    }

    public int Count => _items.Length;

    public JsonObject this[int index] => _items[index].Value;

    public IEnumerator<JsonObject> GetEnumerator()
    {
        foreach (var item in _items) yield return item.Value;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
