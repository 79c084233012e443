using System.Diagnostics;

namespace ControlPlane.Testing.Checkers;

/// <summary>
/// The Wing–Gong search, as Porcupine runs it, over the operations of one key. Call and return events sit in one
/// time-ordered doubly linked list; the search walks it, linearizing any operation whose call comes before the
/// first pending return (real-time order), lifting its events out of the list, and backtracking when it reaches
/// a return whose operation it could not place. Indeterminate operations have no return event: they may be
/// placed anywhere after their call, or never. Refinements over plain WGL, each sound:
/// <list type="bullet">
/// <item>at each point the determinate candidates are tried before the indeterminate ones, so the order that leaves
/// an indeterminate operation out is explored first and the memo then covers the orders that include it;</item>
/// <item>the memo (<see cref="ConfigurationCache"/>) skips configurations covered by one already entered;</item>
/// <item>an order is abandoned as soon as the key's floor passes the resourceVersion some skipped operation
/// still needs (<see cref="RegisterModel.Deadline"/>): resourceVersions then force most of the order;</item>
/// <item>an unconditional overwrite is not placed directly after a floor-neutral indeterminate operation (leaving
/// that operation out does at least as well).</item>
/// </list>
/// </summary>
internal sealed partial class LinearizabilitySearch
{
    private readonly Operation[] _ops;
    private readonly bool[] _determinate;
    private readonly int _determinateCount;
    private readonly ulong[] _zobrist;
    private readonly ulong[] _determinateMask;
    private readonly long[] _deadline;
    private readonly bool[] _neutral;
    private readonly bool[] _overwrites;

    // The event list: entries 0..m-1, _head is the sentinel.
    private readonly int[] _entryOp;
    private readonly bool[] _entryIsCall;
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly int _head;
    private readonly int[] _callEntry;
    private readonly int[] _returnEntry;

    public LinearizabilitySearch(IReadOnlyList<Operation> operations)
    {
        _ops = [.. operations];
        var n = _ops.Length;
        _determinate = new bool[n];
        _zobrist = new ulong[n];
        _determinateMask = new ulong[(n + 63) / 64];
        _deadline = [.. _ops.Select(RegisterModel.Deadline)];
        _neutral = [.. _ops.Select(RegisterModel.IsFloorNeutralIndeterminate)];
        _overwrites = [.. _ops.Select(RegisterModel.Overwrites)];
        var events = new List<(long Time, bool IsCall, int Op)>(2 * n);
        var seed = 0x5DEECE66DUL;
        for (var i = 0; i < n; i++)
        {
            _zobrist[i] = SplitMix(ref seed);
            events.Add((_ops[i].InvokeTicks, true, i));
            if (_ops[i].Outcome != OperationOutcome.Indeterminate)
            {
                _determinate[i] = true;
                _determinateCount++;
                _determinateMask[i / 64] |= 1UL << (i % 64);
                events.Add((_ops[i].CompleteTicks!.Value, false, i));
            }
        }

        // Calls before returns at the same tick: operations that touch are concurrent (the permissive choice).
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.IsCall != b.IsCall ? (a.IsCall ? -1 : 1) : a.Op.CompareTo(b.Op));
        var m = events.Count;
        _entryOp = new int[m];
        _entryIsCall = new bool[m];
        _next = new int[m + 1];
        _prev = new int[m + 1];
        _head = m;
        _callEntry = new int[n];
        _returnEntry = Enumerable.Repeat(-1, n).ToArray();
        for (var e = 0; e < m; e++)
        {
            _entryOp[e] = events[e].Op;
            _entryIsCall[e] = events[e].IsCall;
            if (events[e].IsCall) _callEntry[events[e].Op] = e;
            else _returnEntry[events[e].Op] = e;
            _next[e] = e + 1 < m ? e + 1 : -1;
            _prev[e] = e == 0 ? _head : e - 1;
        }

        _next[_head] = m > 0 ? 0 : -1;
        _prev[_head] = -1;
    }

    public int OperationCount => _ops.Length;

    public SearchResult Run(TimeSpan budget, int maxConfigurations)
    {
        var clock = Stopwatch.StartNew();
        var cache = new ConfigurationCache(_determinateMask);
        var deadlines = new MinTree(_ops.Length);
        for (var i = 0; i < _ops.Length; i++) deadlines.Set(i, _deadline[i]);
        var linearized = new ulong[_determinateMask.Length];
        var path = new List<(int Op, RegisterState Before)>();
        var best = new BestOrder(_ops.Length);
        var state = RegisterState.Initial;
        ulong hash = 0;
        var remaining = _determinateCount;
        var entry = _next[_head];
        var indeterminatePhase = false;
        var phased = _determinateCount < _ops.Length;
        long steps = 0;
        while (remaining > 0)
        {
            if ((++steps & 1023) == 0 && (clock.Elapsed > budget || cache.Count > maxConfigurations))
            {
                var reason = clock.Elapsed > budget ? $"time budget of {budget.TotalSeconds:0.###}s spent" : $"{maxConfigurations} configurations explored (memory cap)";
                return new SearchResult(CheckStatus.Unknown, cache.Count, steps, clock.Elapsed, best.ToDeepest(), null, reason);
            }

            if (entry >= 0 && _entryIsCall[entry])
            {
                var op = _entryOp[entry];
                if ((phased && _determinate[op] == indeterminatePhase) || (_overwrites[op] && path.Count > 0 && _neutral[path[^1].Op]))
                {
                    // Out of phase; or an overwrite right after a floor-neutral indeterminate operation, which is
                    // never better than the order that leaves that operation out (and keeps it available).
                    entry = _next[entry];
                    continue;
                }

                if (RegisterModel.Step(state, _ops[op], out var next, explain: false) is null)
                {
                    linearized[op / 64] |= 1UL << (op % 64);
                    deadlines.Set(op, long.MaxValue);
                    var nextHash = _determinate[op] ? hash ^ _zobrist[op] : hash;
                    if (next.Floor <= deadlines.Min && cache.TryEnter(linearized, nextHash, next))
                    {
                        path.Add((op, state));
                        state = next;
                        hash = nextHash;
                        Lift(op);
                        if (_determinate[op]) best.Offer(path, state, _determinateCount - --remaining);

                        entry = _next[_head];
                        indeterminatePhase = false;
                        continue;
                    }

                    linearized[op / 64] &= ~(1UL << (op % 64));
                    deadlines.Set(op, _deadline[op]);
                }

                entry = _next[entry];
            }
            else if (phased && !indeterminatePhase)
            {
                indeterminatePhase = true;
                entry = _next[_head];
            }
            else
            {
                // A return whose operation is not placed (or the end of the list): undo the last choice.
                if (path.Count == 0)
                {
                    return new SearchResult(CheckStatus.Violation, cache.Count, steps, clock.Elapsed, best.ToDeepest(), null, null);
                }

                var (op, before) = path[^1];
                path.RemoveAt(path.Count - 1);
                best.Truncate(path.Count);
                state = before;
                Unlift(op);
                linearized[op / 64] &= ~(1UL << (op % 64));
                deadlines.Set(op, _deadline[op]);
                if (_determinate[op])
                {
                    remaining++;
                    hash ^= _zobrist[op];
                }

                entry = _next[_callEntry[op]];
                indeterminatePhase = phased && !_determinate[op];
            }
        }

        var witness = path.Select(p => _ops[p.Op].Id).ToList();
        return new SearchResult(CheckStatus.Ok, cache.Count, steps, clock.Elapsed, best.ToDeepest(), witness, null);
    }

    private void Lift(int op)
    {
        Unlink(_callEntry[op]);
        if (_returnEntry[op] >= 0) Unlink(_returnEntry[op]);
    }

    private void Unlift(int op)
    {
        if (_returnEntry[op] >= 0) Relink(_returnEntry[op]);
        Relink(_callEntry[op]);
    }

    private void Unlink(int e)
    {
        _next[_prev[e]] = _next[e];
        if (_next[e] >= 0) _prev[_next[e]] = _prev[e];
    }

    private void Relink(int e)
    {
        _next[_prev[e]] = e;
        if (_next[e] >= 0) _prev[_next[e]] = e;
    }

    private static ulong SplitMix(ref ulong seed)
    {
        var z = seed += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Keeps the longest valid order found without copying the whole path at every new depth: it remembers how
    /// much of it the current path still shares and copies only the rest.
    /// </summary>
    private sealed class BestOrder(int capacity)
    {
        private readonly int[] _ops = new int[capacity];
        private int _length;
        private int _shared;
        private int _placed;
        private RegisterState _state = RegisterState.Initial;

        public void Offer(List<(int Op, RegisterState Before)> path, in RegisterState state, int placed)
        {
            if (placed <= _placed) return;
            for (var i = _shared; i < path.Count; i++) _ops[i] = path[i].Op;
            (_length, _shared, _placed, _state) = (path.Count, path.Count, placed, state);
        }

        public void Truncate(int pathLength) => _shared = Math.Min(_shared, pathLength);

        public Deepest ToDeepest() => new(_ops[.._length], _state, _placed);
    }

    /// <summary>The longest valid order found (by determinate operations placed) and the state after it.</summary>
    internal sealed record Deepest(int[] Path, RegisterState State, int Placed);

    internal sealed record SearchResult(
        CheckStatus Status, int Configurations, long Steps, TimeSpan Elapsed, Deepest Deepest, IReadOnlyList<long>? Witness, string? StopReason);
}
