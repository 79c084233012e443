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
}
