namespace ControlPlane.Bench.Measurement;

/// <summary>The reported figures of one operation kind: throughput over the measured window and latency in milliseconds.</summary>
public sealed record OperationResult
{
    public required string Name { get; init; }

    public required long Count { get; init; }

    public required double OpsPerSecond { get; init; }

    public required double P50Ms { get; init; }

    public required double P90Ms { get; init; }

    public required double P99Ms { get; init; }

    public required double MaxMs { get; init; }

    public required double MeanMs { get; init; }

    public required long Errors { get; init; }

    public required long Conflicts { get; init; }

    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    public static OperationResult From(OperationRecorder recorder, TimeSpan window)
    {
        var h = recorder.Histogram;
        return new OperationResult
        {
            Name = recorder.Name,
            Count = h.Count,
            OpsPerSecond = window > TimeSpan.Zero ? Math.Round(h.Count / window.TotalSeconds, 1) : 0,
            P50Ms = Ms(h.ValueAtQuantile(0.50)),
            P90Ms = Ms(h.ValueAtQuantile(0.90)),
            P99Ms = Ms(h.ValueAtQuantile(0.99)),
            MaxMs = Ms(h.Max),
            MeanMs = Math.Round(h.Mean / 1000.0, 3),
            Errors = recorder.Errors,
            Conflicts = recorder.Conflicts,
            ErrorSamples = [.. recorder.Samples],
        };
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
