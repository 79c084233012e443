using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Storage.State;

namespace ControlPlane.Replication;

/// <summary>Read queries over one immutable view.</summary>
public static class StoreQueries
{
    public static ListResult List(StoreState view, ListQuery query)
    {
        var items = new List<StoredResource>(query.Limit is > 0 and < 1024 ? query.Limit : 16);
        ResourceKey? next = null;
        long remaining = 0;
        foreach (var (key, resource) in view.OfKind(query.Kind))
        {
            if (query.After is { } after && key.CompareTo(after) <= 0) continue;
            if (query.Namespace is { } ns && key.Namespace != ns) continue;
            if (!query.Selector.Matches(resource.Labels)) continue;
            if (query.Limit > 0 && items.Count == query.Limit)
            {
                next ??= items[^1].Key;
                remaining++;
                continue;
            }

            items.Add(resource);
        }

        return new ListResult(items, view.AppliedIndex, next, remaining);
    }
}
