using System.Diagnostics;
using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Scenarios;

public sealed partial class ScenarioRunner
{
    private static readonly TimeSpan EstablishBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DeliveryDrainBound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// --watchers watch the kind from now (spread over the endpoints); once every watch is confirmed,
    /// --concurrency writers commit --rate writes/s (paced on a fixed schedule) over the key space. Each
    /// watcher measures delivery latency from the writer's send timestamp carried in the object to the moment
    /// it receives the event ("delivery", which includes the write's own latency) and counts the events it got.
    /// "delivery-after-ack" is the time from the writer receiving its acknowledgement (the write is committed
    /// and applied on the leader) to each watcher receiving the event, 0 when the event came first: the lag a
    /// controller sees between a write returning and its watch reporting it. After the writers stop, watchers
    /// get a bounded time to catch up, then completeness is reported.
    /// </summary>
    private async Task<ScenarioResult> WatchAsync(CancellationToken cancellationToken)
    {
        MeasuredWindow? window = null;
        var sequences = SequenceTableSize();
        var acks = new long[sequences];
        var watchers = new WatcherState[options.Watchers];
        var established = 0;
        using var stopWatchers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchTasks = new Task[watchers.Length];
        for (var i = 0; i < watchers.Length; i++)
        {
            var state = watchers[i] = new WatcherState(sequences);
            var client = i;
            watchTasks[i] = Task.Run(async () =>
            {
                try
                {
                    await foreach (var delivery in target.WatchAsync(client, 0, stopWatchers.Token))
                    {
                        if (delivery.Established)
                        {
                            if (!state.Established) Interlocked.Increment(ref established);
                            state.Established = true;
                            continue;
                        }

                        var now = Stopwatch.GetTimestamp();
                        state.CountEvent();
                        live.CountEvent();
                        var current = Volatile.Read(ref window);
                        var value = delivery.Value.Span;
                        if (current is not null && BenchObjects.TryReadStamp(value, out var sentAt, out var sequence) && current.Contains(sentAt))
                        {
                            state.Delivery.Record(OperationRecorder.ToMicros(now - sentAt));
                            state.RecordReceipt(sequence, now);
                        }
                    }

                    state.Ended = true;
                }
                catch (Exception e) when (!stopWatchers.IsCancellationRequested)
                {
                    state.Failure = e;
                }
                catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
                {
                    // Stopped by the run.
                }
            }, CancellationToken.None);
        }

        var establishStart = Stopwatch.GetTimestamp();
        var establishDeadline = establishStart + (long)(EstablishBound.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref established) + watchers.Count(w => w.Failure is not null || w.Ended) < watchers.Length && Stopwatch.GetTimestamp() < establishDeadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        var establishedCount = Volatile.Read(ref established);
        var establishSeconds = Stopwatch.GetElapsedTime(establishStart).TotalSeconds;
        var notes = new List<string?>();
        if (establishedCount < watchers.Length) notes.Add($"only {establishedCount} of {watchers.Length} watches were established within {EstablishBound.TotalSeconds:0}s");

        // Writers: a fixed schedule of --rate writes/s shared by --concurrency workers (0: as fast as they can).
        var measured = MeasuredWindow.StartingAfter(options.Warmup, options.Duration);
        Volatile.Write(ref window, measured);
        var scheduleStart = Stopwatch.GetTimestamp();
        long next = -1, committed = 0, committedInWindow = 0;
        var (writerSets, _, writerNote) = await ClosedLoopAsync(options.Concurrency, w =>
        {
            return async (set, ct) =>
            {
                var k = Interlocked.Increment(ref next);
                if (options.Rate > 0)
                {
                    var due = scheduleStart + (long)(k * (double)Stopwatch.Frequency / options.Rate);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        // Never sleep past the end of the window, and write nothing scheduled after it.
                        await Task.Delay(wait < measured.Remaining ? wait : measured.Remaining, ct);
                        if (due >= measured.End) return;
                    }
                }

                var name = BenchObjects.Name((int)(k % options.Keys));
                var start = Stopwatch.GetTimestamp();
                var (ok, _) = await TimedAsync(set["write"], start, target.PutAsync(w, name, BenchObjects.Build(name, k, start, options.ValueSize), ct), ct);
                if (!ok) return;
                if (k < acks.Length) Volatile.Write(ref acks[k], Stopwatch.GetTimestamp());
                Interlocked.Increment(ref committed);
                if (measured.Contains(start)) Interlocked.Increment(ref committedInWindow);
            };
        }, cancellationToken, measured);
        notes.Add(writerNote);

        // Let watchers catch up with every committed write, within a bound.
        var expected = Interlocked.Read(ref committed);
        var drainDeadline = Stopwatch.GetTimestamp() + (long)(DeliveryDrainBound.TotalSeconds * Stopwatch.Frequency);
        while (watchers.Any(w => w.Failure is null && !w.Ended && w.Received < expected) && Stopwatch.GetTimestamp() < drainDeadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        await stopWatchers.CancelAsync();
        notes.Add(await JoinAsync(watchTasks, DrainGrace, stopWatchers));

        var deliverySet = new RecorderSet(measured, live);
        var delivery = deliverySet["delivery"].Histogram;
        var afterAck = deliverySet["delivery-after-ack"].Histogram;
        foreach (var w in watchers)
        {
            delivery.Add(w.Delivery);
            for (var k = 0; k < acks.Length; k++)
            {
                var (ack, receipt) = (acks[k], w.ReceiptOf(k));
                if (ack != 0 && receipt != 0) afterAck.Record(OperationRecorder.ToMicros(Math.Max(0, receipt - ack)));
            }
        }

        var failures = watchers.Where(w => w.Failure is not null).Select(w => w.Failure!).ToList();
        notes.AddRange(failures.Select(f => f is Grpc.Core.RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : f.Message).Distinct().Take(3).Select(m => $"watch failed: {m}"));
        var received = watchers.Select(w => w.Received).ToArray();
        var details = new Dictionary<string, double>
        {
            ["watchers"] = watchers.Length,
            ["established"] = establishedCount,
            ["establishSeconds"] = Math.Round(establishSeconds, 2),
            ["failedWatchers"] = failures.Count,
            ["endedWatchers"] = watchers.Count(w => w.Ended),
            ["writesCommitted"] = expected,
            ["writesPerSecond"] = Math.Round(Interlocked.Read(ref committedInWindow) / measured.Length.TotalSeconds, 1),
            ["watchersComplete"] = received.Count(r => r >= expected),
            ["minReceived"] = received.Length == 0 ? 0 : received.Min(),
            ["deliveredFraction"] = expected == 0 ? 0 : Math.Round(received.Sum(r => Math.Min(r, expected)) / ((double)expected * watchers.Length), 5),
        };
        return Result([.. writerSets, deliverySet], measured, details, [.. notes]);
    }

    /// <summary>How many write sequence numbers the receipt tables hold: every write of the run at the given rate, else a fixed cap.</summary>
    private int SequenceTableSize() => options.Rate > 0
        ? (int)Math.Min(1 << 22, (options.Warmup + options.Duration).TotalSeconds * options.Rate * 1.1 + 1000)
        : 1 << 16;
}
