using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Scenarios;

/// <summary>What one watcher of the watch scenario saw: events received, their delivery latency, how it ended.</summary>
internal sealed class WatcherState(int sequences)
{
    private readonly long[] _receipts = new long[sequences];
    private long _received;

    public LatencyHistogram Delivery { get; } = new();

    public long Received => Interlocked.Read(ref _received);

    public bool Established { get; set; }

    public Exception? Failure { get; set; }

    /// <summary>True when the stream ended by itself (not cancelled by the run).</summary>
    public bool Ended { get; set; }

    public void CountEvent() => Interlocked.Increment(ref _received);

    /// <summary>Remembers when the write with sequence number <paramref name="sequence"/> arrived (sequences beyond the table are ignored).</summary>
    public void RecordReceipt(long sequence, long timestamp)
    {
        if (sequence >= 0 && sequence < _receipts.Length) _receipts[sequence] = timestamp;
    }

    /// <summary>When the write with this sequence number arrived; 0 if it did not (or is beyond the table).</summary>
    public long ReceiptOf(long sequence) => sequence >= 0 && sequence < _receipts.Length ? _receipts[sequence] : 0;
}
