using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class HistoryRecorderTests
{
    [Fact]
    public void RecordsInvocationsAndAnswers_OnItsClock()
    {
        var clock = new ManualTimeProvider();
        var recorder = new HistoryRecorder(clock);
        clock.Advance(5);
        var write = recorder.Invoke(1, "k", OperationKind.Write, value: "a", requestId: "r1");
        clock.Advance(10);
        write.CompleteOk(resourceVersion: 7);
        var read = recorder.Invoke(2, "k", OperationKind.Read);
        clock.Advance(3);
        read.CompleteRead("a", 7);
        var conflict = recorder.Invoke(3, "k", OperationKind.ConditionalWrite, value: "b", expectedVersion: 6);
        conflict.CompleteFailed(FailureReason.Conflict, "rv mismatch", currentResourceVersion: 7);
        recorder.Invoke(4, "k", OperationKind.Delete);

        var history = recorder.ToHistory();
        Assert.Equal(1000, history.TicksPerSecond);
        Assert.Equal(4, history.Operations.Count);
        Assert.Equal(
            new Operation { Id = 1, ClientId = 1, Key = "k", Kind = OperationKind.Write, Value = "a", RequestId = "r1", InvokeTicks = 5, CompleteTicks = 15, Outcome = OperationOutcome.Ok, OutputVersion = 7 },
            history.Operations[0]);
        Assert.Equal(("a", 7L, 18L), (history.Operations[1].OutputValue, history.Operations[1].OutputVersion!.Value, history.Operations[1].CompleteTicks!.Value));
        Assert.Equal((OperationOutcome.Failed, FailureReason.Conflict, 7L), (history.Operations[2].Outcome, history.Operations[2].Failure, history.Operations[2].OutputVersion!.Value));
        Assert.Equal(OperationOutcome.Indeterminate, history.Operations[3].Outcome);
        Assert.Null(history.Operations[3].CompleteTicks);
        Assert.True(LinearizabilityChecker.Check(history).Ok);
    }

    [Fact]
    public void CompletingTwice_OrWithTheWrongKind_IsRefused()
    {
        var recorder = new HistoryRecorder(new ManualTimeProvider());
        var write = recorder.Invoke(1, "k", OperationKind.Write, value: "a");
        write.CompleteOk(1);
        Assert.Contains("already completed", Assert.Throws<InvalidOperationException>(() => write.CompleteIndeterminate()).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => recorder.Invoke(1, "k", OperationKind.Write, value: "b").CompleteRead("b", 2));
        Assert.Throws<InvalidOperationException>(() => recorder.Invoke(1, "k", OperationKind.Read).CompleteOk(2));
        Assert.Throws<InvalidOperationException>(() => recorder.Invoke(1, "k", OperationKind.Read).CompleteRead("x", null));
    }

    [Fact]
    public async Task ConcurrentClients_GetUniqueIds_AndEveryOperationIsKept()
    {
        var recorder = new HistoryRecorder();
        const int Clients = 8, PerClient = 2000;
        await Task.WhenAll(Enumerable.Range(1, Clients).Select(client => Task.Run(() =>
        {
            for (var i = 0; i < PerClient; i++)
            {
                var op = recorder.Invoke(client, $"key-{client}", OperationKind.Write, value: $"{client}-{i}");
                op.CompleteOk(resourceVersion: null);
            }
        })));

        var history = recorder.ToHistory();
        Assert.Equal(Clients * PerClient, history.Operations.Count);
        Assert.Equal(Clients * PerClient, history.Operations.Select(op => op.Id).Distinct().Count());
        Assert.All(history.Operations, op => Assert.True(op.CompleteTicks >= op.InvokeTicks));
        Assert.Equal(System.Diagnostics.Stopwatch.Frequency, history.TicksPerSecond);
    }
}
