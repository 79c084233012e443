namespace ControlPlane.Testing.Checkers;

/// <summary>
/// The memo of the linearizability search: configurations (set of linearized operations, register state) already
/// entered. A configuration is skipped when one already entered covers it: the same determinate operations
/// linearized, a subset of the indeterminate ones (an indeterminate operation may always be left out, so
/// everything reachable with the bigger set is reachable with the smaller), and a state that is the same or
/// differs only by a lower floor (<see cref="RegisterState.Covers"/>). Keys are hashed by a Zobrist hash of the
/// determinate set (kept incrementally by the caller) and the state's shape.
/// </summary>
internal sealed class ConfigurationCache
{
    private readonly ulong[] _determinateMask;
    private readonly Dictionary<ulong, int> _heads = [];
    private readonly List<Entry> _entries = [];

    public ConfigurationCache(ulong[] determinateMask) => _determinateMask = determinateMask;

    public int Count => _entries.Count;

    /// <summary>Records the configuration and returns true, or returns false when it (or one that covers it) was seen.</summary>
    public bool TryEnter(ulong[] linearized, ulong determinateHash, in RegisterState state)
    {
        var key = determinateHash ^ ((ulong)(uint)state.ShapeHash() * 0x9E3779B97F4A7C15UL);
        var head = _heads.TryGetValue(key, out var first) ? first : -1;
        for (var i = head; i >= 0; i = _entries[i].Next)
        {
            var entry = _entries[i];
            if (entry.State.Covers(state) && Covers(entry.Linearized, linearized)) return false;
        }

        _entries.Add(new Entry((ulong[])linearized.Clone(), state, head));
        _heads[key] = _entries.Count - 1;
        return true;
    }

    /// <summary>Same determinate operations, and the cached indeterminate ones a subset of the current ones.</summary>
    private bool Covers(ulong[] cached, ulong[] current)
    {
        for (var w = 0; w < cached.Length; w++)
        {
            var determinate = _determinateMask[w];
            if (((cached[w] ^ current[w]) & determinate) != 0) return false;
            if ((cached[w] & ~current[w] & ~determinate) != 0) return false;
        }

        return true;
    }

    private readonly record struct Entry(ulong[] Linearized, RegisterState State, int Next);
}
