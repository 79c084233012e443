using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Bench.Measurement;

/// <summary>Rewrites one status line each second while a run lasts; only when stdout is a terminal.</summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressLine(string label, LiveCounters live) => _loop = LoopAsync(label, live, _stop.Token);

    /// <summary>Starts the line, or returns null when disabled or stdout is redirected.</summary>
    public static ProgressLine? StartIfTerminal(bool enabled, string label, LiveCounters live) =>
        enabled && !Console.IsOutputRedirected ? new ProgressLine(label, live) : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        Console.Write("\r" + new string(' ', 100) + "\r");
    }

    private static async Task LoopAsync(string label, LiveCounters live, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long lastOps = 0, lastEvents = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long ops = live.Operations, events = live.Events;
                var line = string.Create(CultureInfo.InvariantCulture, $"\r{label} {Stopwatch.GetElapsedTime(start).TotalSeconds,6:0}s  ops {ops,9} ({ops - lastOps,7}/s)  errors {live.Errors,6}");
                if (events > 0) line += string.Create(CultureInfo.InvariantCulture, $"  events {events,10} ({events - lastEvents,8}/s)");
                Console.Write(line.PadRight(100));
                (lastOps, lastEvents) = (ops, events);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}
