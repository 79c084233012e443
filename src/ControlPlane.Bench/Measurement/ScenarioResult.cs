namespace ControlPlane.Bench.Measurement;

/// <summary>Everything one run reports, as printed in the table and written as JSON.</summary>
public sealed record ScenarioResult
{
    public required string Target { get; init; }

    public required string Scenario { get; init; }

    public required int Concurrency { get; init; }

    public required int ValueSize { get; init; }

    public required int Keys { get; init; }

    public required double WindowSeconds { get; init; }

    public required IReadOnlyList<OperationResult> Operations { get; init; }

    /// <summary>Scenario-specific figures (watch completeness, objects filled, read mode).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// CPU seconds (user and system) this load client used for the whole run, setup and warm-up included: the share of
    /// the machine the instrument took from the servers it measures.
    /// </summary>
    public double ClientCpuSeconds { get; init; }

    /// <summary>Whether the client ran with the server garbage collector (the default; see the project file).</summary>
    public bool ClientServerGc { get; init; }
}
