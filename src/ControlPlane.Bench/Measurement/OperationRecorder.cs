using System.Diagnostics;

namespace ControlPlane.Bench.Measurement;

/// <summary>
/// One worker's record of one operation kind: latencies of the operations that started inside the measured
/// window, errors and conflicts. Used by a single worker at a time; merged at the end.
/// </summary>
public sealed class OperationRecorder(string name, MeasuredWindow window, LiveCounters live)
{
    public string Name { get; } = name;

    public LatencyHistogram Histogram { get; } = new();

    public long Errors { get; private set; }

    public long Conflicts { get; private set; }

    /// <summary>The first error messages seen, for the report.</summary>
    public List<string> Samples { get; } = [];

    /// <summary>Records an operation that started at <paramref name="startTimestamp"/> (Stopwatch ticks) and just succeeded.</summary>
    public void Success(long startTimestamp)
    {
        live.CountOperation();
        if (window.Contains(startTimestamp)) Histogram.Record(ToMicros(Stopwatch.GetTimestamp() - startTimestamp));
    }

    /// <summary>A conditional write refused because the version moved (counted apart from errors; its latency counts).</summary>
    public void Conflict(long startTimestamp)
    {
        live.CountOperation();
        if (!window.Contains(startTimestamp)) return;
        Conflicts++;
        Histogram.Record(ToMicros(Stopwatch.GetTimestamp() - startTimestamp));
    }

    /// <summary>Records a latency measured elsewhere (watch delivery), if its start lies in the window.</summary>
    public void Latency(long startTimestamp, long endTimestamp)
    {
        if (window.Contains(startTimestamp)) Histogram.Record(ToMicros(endTimestamp - startTimestamp));
    }

    public void Error(long startTimestamp, Exception error)
    {
        live.CountError();
        if (!window.Contains(startTimestamp)) return;
        Errors++;
        if (Samples.Count < 3) Samples.Add(Describe(error));
    }

    /// <summary>Folds <paramref name="other"/> into this recorder.</summary>
    public void Add(OperationRecorder other)
    {
        Histogram.Add(other.Histogram);
        Errors += other.Errors;
        Conflicts += other.Conflicts;
        foreach (var sample in other.Samples)
        {
            if (Samples.Count < 3 && !Samples.Contains(sample)) Samples.Add(sample);
        }
    }

    public static long ToMicros(long stopwatchTicks) => (long)(stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency);

    private static string Describe(Exception error) => error switch
    {
        Grpc.Core.RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
