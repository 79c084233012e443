namespace ControlPlane.Bench.Measurement;

/// <summary>One worker's recorders, one per operation kind, created on first use.</summary>
public sealed class RecorderSet(MeasuredWindow window, LiveCounters live)
{
    private readonly Dictionary<string, OperationRecorder> _recorders = new(StringComparer.Ordinal);

    public MeasuredWindow Window => window;

    public LiveCounters Live => live;

    public OperationRecorder this[string operation]
    {
        get
        {
            if (!_recorders.TryGetValue(operation, out var recorder))
            {
                recorder = new OperationRecorder(operation, window, live);
                _recorders.Add(operation, recorder);
            }

            return recorder;
        }
    }

    /// <summary>Merges every worker's recorders into one result per operation, in first-seen order.</summary>
    public static IReadOnlyList<OperationResult> Merge(IEnumerable<RecorderSet> sets, TimeSpan window)
    {
        var merged = new Dictionary<string, OperationRecorder>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var set in sets)
        {
            foreach (var (name, recorder) in set._recorders)
            {
                if (!merged.TryGetValue(name, out var total))
                {
                    total = new OperationRecorder(name, set.Window, set.Live);
                    merged.Add(name, total);
                    order.Add(name);
                }

                total.Add(recorder);
            }
        }

        return [.. order.Select(name => OperationResult.From(merged[name], window))];
    }
}
