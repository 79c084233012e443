namespace ControlPlane.Bench.Measurement;

/// <summary>Totals shared by every worker for the live progress line (warm-up included).</summary>
public sealed class LiveCounters
{
    private long _operations;
    private long _errors;
    private long _events;

    public long Operations => Interlocked.Read(ref _operations);

    public long Errors => Interlocked.Read(ref _errors);

    public long Events => Interlocked.Read(ref _events);

    public void CountOperation() => Interlocked.Increment(ref _operations);

    public void CountError() => Interlocked.Increment(ref _errors);

    public void CountEvent() => Interlocked.Increment(ref _events);
}
