using System.Collections.Immutable;

namespace ControlPlane.Storage.State;

/// <summary>
/// The remembered request ids: an immutable first-in-first-out window of <see cref="RequestRecord"/>s with a lookup
/// by id. Every table answers for its own window, always; the lookup is fast for the newest table of a line of
/// tables (the one apply extends), which shares one mutable index with the tables before it. Extending the newest
/// table updates that index in place: one dictionary insert and one removal per write, where a persistent map
/// allocated a path of about seventeen nodes per write that lived as long as the record (about
/// <see cref="StoreState.MaxRequestRecords"/> writes) and so went through every GC generation before dying: on a
/// follower under 64 writers, most of its collections were gen1 and gen2. An older table (kept by a reader, a
/// snapshot or a test) answers by scanning its window, and extending it starts a new line with a copy of the index;
/// production never does either, since apply always extends the state it published last.
/// The index is read and written by the thread that applies commands only: <see cref="TryGetValue"/>,
/// <see cref="Add"/> and <see cref="RemoveOldest"/> belong to it. <see cref="Count"/>, <see cref="Records"/> and
/// <see cref="Oldest"/> read the immutable window and are safe from any thread (snapshots are written beside apply).
/// </summary>
public sealed class RequestTable
{
    public static RequestTable Empty { get; } = new(ImmutableQueue<Entry>.Empty, null, 0, 0);

    private readonly ImmutableQueue<Entry> _window;

    /// <summary>The index shared along this table's line; null for <see cref="Empty"/>, which starts a line when extended.</summary>
    private readonly Line? _line;

    /// <summary>The sequence number of the oldest remembered record, and of the next one taken.</summary>
    private readonly long _start;
    private readonly long _next;

    private RequestTable(ImmutableQueue<Entry> window, Line? line, long start, long next)
    {
        _window = window;
        _line = line;
        _start = start;
        _next = next;
        if (line is not null) line.Newest = this;
    }

    /// <summary>How many records are remembered.</summary>
    public int Count => (int)(_next - _start);

    public bool IsEmpty => _next == _start;

    /// <summary>The remembered records, oldest first.</summary>
    public IEnumerable<RequestRecord> Records => _window.Select(e => e.Record);

    /// <summary>The oldest remembered record; the table must not be empty.</summary>
    public RequestRecord Oldest => _window.Peek().Record;

    /// <summary>Whether this table may use and change its line's index: it is the newest of its line.</summary>
    private bool OwnsIndex => _line is not null && ReferenceEquals(_line.Newest, this);

    public bool TryGetValue(string requestId, out RequestRecord record)
    {
        if (OwnsIndex)
        {
            if (_line!.Index.TryGetValue(requestId, out var entry) && entry.Sequence >= _start && entry.Sequence < _next)
            {
                record = entry.Record;
                return true;
            }
        }
        else
        {
            foreach (var entry in _window)
            {
                if (string.Equals(entry.Record.RequestId, requestId, StringComparison.Ordinal))
                {
                    record = entry.Record;
                    return true;
                }
            }
        }

        record = null!;
        return false;
    }

    public bool ContainsKey(string requestId) => TryGetValue(requestId, out _);

    /// <summary>
    /// The table that adding <paramref name="oldestFirst"/> one by one to <see cref="Empty"/> gives, built in one pass
    /// (a snapshot restore). Sequence numbers start at 0 as they would.
    /// </summary>
    public static RequestTable FromRecords(IReadOnlyList<RequestRecord> oldestFirst)
    {
        if (oldestFirst.Count == 0) return Empty;
        var entries = new Entry[oldestFirst.Count];
        for (var i = 0; i < entries.Length; i++) entries[i] = new Entry(oldestFirst[i], i);
        return new RequestTable(ImmutableQueue.CreateRange(entries), Line.Of(entries), 0, entries.Length);
    }

    /// <summary>Remembers <paramref name="record"/> as the newest; its id must not be remembered already.</summary>
    public RequestTable Add(RequestRecord record)
    {
        var entry = new Entry(record, _next);
        var line = OwnsIndex ? _line! : Line.Of(_window);
        line.Index[record.RequestId] = entry;
        return new RequestTable(_window.Enqueue(entry), line, _start, _next + 1);
    }

    /// <summary>Forgets the oldest record.</summary>
    public RequestTable RemoveOldest()
    {
        var window = _window.Dequeue(out var oldest);
        var line = OwnsIndex ? _line! : Line.Of(window);
        if (line.Index.TryGetValue(oldest.Record.RequestId, out var indexed) && indexed.Sequence == oldest.Sequence)
        {
            line.Index.Remove(oldest.Record.RequestId);
        }

        return new RequestTable(window, line, window.IsEmpty ? _next : oldest.Sequence + 1, _next);
    }

    /// <summary>One line of tables: the index of its newest table's window, and which table that is.</summary>
    private sealed class Line
    {
        public readonly Dictionary<string, Entry> Index = new(StringComparer.Ordinal);

        public RequestTable? Newest;

        public static Line Of(IEnumerable<Entry> window)
        {
            var line = new Line();
            foreach (var entry in window) line.Index[entry.Record.RequestId] = entry;
            return line;
        }
    }

    private sealed record Entry(RequestRecord Record, long Sequence);
}
