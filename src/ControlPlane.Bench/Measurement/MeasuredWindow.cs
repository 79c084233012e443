using System.Diagnostics;

namespace ControlPlane.Bench.Measurement;

/// <summary>
/// The measured part of a run, in Stopwatch ticks: operations that start after the warm-up and before the
/// end count; those that start outside it run but are not recorded.
/// </summary>
public sealed class MeasuredWindow
{
    private MeasuredWindow(long start, long end)
    {
        Start = start;
        End = end;
    }

    public long Start { get; }

    public long End { get; }

    public TimeSpan Length => Stopwatch.GetElapsedTime(Start, End);

    /// <summary>A window that opens after <paramref name="warmup"/> from now and lasts <paramref name="duration"/>.</summary>
    public static MeasuredWindow StartingAfter(TimeSpan warmup, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        return new MeasuredWindow(start, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>A window from <paramref name="start"/> to <paramref name="end"/> (Stopwatch ticks).</summary>
    public static MeasuredWindow Between(long start, long end) => new(start, end);

    public bool Contains(long timestamp) => timestamp >= Start && timestamp < End;

    public bool IsOver => Stopwatch.GetTimestamp() >= End;

    public TimeSpan Remaining
    {
        get
        {
            var now = Stopwatch.GetTimestamp();
            return now >= End ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, End);
        }
    }
}
