namespace ControlPlane.Testing.Checkers;

/// <summary>A segment tree keeping the minimum of n slots under point updates: O(log n) update, O(1) minimum.</summary>
internal sealed class MinTree
{
    private readonly int _leaves;
    private readonly long[] _tree;

    public MinTree(int count)
    {
        _leaves = 1;
        while (_leaves < Math.Max(count, 1)) _leaves *= 2;
        _tree = new long[2 * _leaves];
        Array.Fill(_tree, long.MaxValue);
    }

    public long Min => _tree[1];

    public void Set(int slot, long value)
    {
        var i = slot + _leaves;
        _tree[i] = value;
        for (i /= 2; i >= 1; i /= 2) _tree[i] = Math.Min(_tree[2 * i], _tree[2 * i + 1]);
    }
}
