namespace ControlPlane.Testing.Checkers;

/// <summary>A recorded history: operations of concurrent clients, timed by one monotonic clock.</summary>
public sealed record History
{
    public History(IReadOnlyList<Operation> operations, long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (ticksPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ticksPerSecond), ticksPerSecond, "ticksPerSecond must be positive.");
        }

        Operations = operations;
        TicksPerSecond = ticksPerSecond;
    }

    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>The clock's frequency, to turn ticks into time in explanations (Stopwatch.Frequency for a recorder).</summary>
    public long TicksPerSecond { get; }

    /// <summary>Free-form notes saved with the history: seed, fault times, scenario name.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();
}
