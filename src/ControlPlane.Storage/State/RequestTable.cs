using System.Collections.Immutable;

namespace ControlPlane.Storage.State;

/// <summary>
/// The remembered request ids: an immutable first-in-first-out window of <see cref="RequestRecord"/>s with a lookup
/// by id. Forgetting the oldest record only moves the window's start: nothing is removed from the index. The index
/// is two generations of dictionaries; when the younger one has taken <see cref="StoreState.MaxRequestRecords"/>
/// records it becomes the older one and the oldest generation is dropped whole. Every record still in the window is
/// among the last <see cref="StoreState.MaxRequestRecords"/> taken, so it is in one of the two; a record found there
/// but before the window's start is forgotten. A write therefore costs one insert, never an insert and a removal.
/// Which generation holds a record is not part of the replicated state: answers depend only on the window.
/// </summary>
public sealed class RequestTable
{
    public static RequestTable Empty { get; } = new(ImmutableQueue<Entry>.Empty, Index.Empty, Index.Empty, 0, 0);

    private readonly ImmutableQueue<Entry> _window;
    private readonly ImmutableDictionary<string, Entry> _young;
    private readonly ImmutableDictionary<string, Entry> _old;

    /// <summary>The sequence number of the oldest remembered record, and of the next one taken.</summary>
    private readonly long _start;
    private readonly long _next;

    private RequestTable(ImmutableQueue<Entry> window, ImmutableDictionary<string, Entry> young, ImmutableDictionary<string, Entry> old, long start, long next)
    {
        _window = window;
        _young = young;
        _old = old;
        _start = start;
        _next = next;
    }

    /// <summary>How many records are remembered.</summary>
    public int Count => (int)(_next - _start);

    public bool IsEmpty => _next == _start;

    /// <summary>The remembered records, oldest first.</summary>
    public IEnumerable<RequestRecord> Records => _window.Select(e => e.Record);

    /// <summary>The oldest remembered record; the table must not be empty.</summary>
    public RequestRecord Oldest => _window.Peek().Record;

    public bool TryGetValue(string requestId, out RequestRecord record)
    {
        if ((_young.TryGetValue(requestId, out var entry) || _old.TryGetValue(requestId, out entry)) && entry.Sequence >= _start)
        {
            record = entry.Record;
            return true;
        }

        record = null!;
        return false;
    }

    public bool ContainsKey(string requestId) => TryGetValue(requestId, out _);

    /// <summary>
    /// The table that adding <paramref name="oldestFirst"/> one by one to <see cref="Empty"/> gives, built in one pass
    /// (a snapshot restore: 50,000 immutable inserts were most of reading a snapshot). Sequence numbers start at 0 as
    /// they would; the index generation the records land in differs, which answers never depend on.
    /// </summary>
    public static RequestTable FromRecords(IReadOnlyList<RequestRecord> oldestFirst)
    {
        if (oldestFirst.Count == 0) return Empty;
        var entries = new Entry[oldestFirst.Count];
        var index = Index.Empty.ToBuilder();
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new Entry(oldestFirst[i], i);
            index[oldestFirst[i].RequestId] = entries[i];
        }

        // As Add does: a generation that reached the limit becomes the older one.
        var all = index.ToImmutable();
        var full = all.Count >= StoreState.MaxRequestRecords;
        return new RequestTable(ImmutableQueue.CreateRange(entries), full ? Index.Empty : all, full ? all : Index.Empty, 0, entries.Length);
    }

    /// <summary>Remembers <paramref name="record"/> as the newest; its id must not be remembered already.</summary>
    public RequestTable Add(RequestRecord record)
    {
        var entry = new Entry(record, _next);
        var young = _young.SetItem(record.RequestId, entry);
        var old = _old;
        if (young.Count >= StoreState.MaxRequestRecords)
        {
            old = young;
            young = Index.Empty;
        }

        return new RequestTable(_window.Enqueue(entry), young, old, _start, _next + 1);
    }

    /// <summary>Forgets the oldest record.</summary>
    public RequestTable RemoveOldest()
    {
        var window = _window.Dequeue(out var oldest);
        return window.IsEmpty
            ? new RequestTable(window, Index.Empty, Index.Empty, _next, _next)
            : new RequestTable(window, _young, _old, oldest.Sequence + 1, _next);
    }

    private static class Index
    {
        public static readonly ImmutableDictionary<string, Entry> Empty = ImmutableDictionary<string, Entry>.Empty.WithComparers(StringComparer.Ordinal);
    }

    private sealed record Entry(RequestRecord Record, long Sequence);
}
