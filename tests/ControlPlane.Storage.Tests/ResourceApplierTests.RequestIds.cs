using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    [Fact]
    public void Apply_RetriedRequestId_AppliedOnceWithOriginalResult()
    {
        var replica = new Replica();
        var create = Put(Widget("a")) with { CreateOnly = true, RequestId = "req-1" };
        var first = replica.Apply(create);
        replica.Apply(Put(Widget("b")));
        var before = replica.State;

        var retry = replica.Apply(create with { TimestampMs = T0 + 1000 });

        Assert.False(first.Result.Replayed);
        Assert.True(retry.Result.Replayed);
        Assert.Equal(WriteOutcome.Created, retry.Result.Outcome);
        Assert.Equal(ErrorCode.None, retry.Result.Error);
        Assert.Equal(1, retry.Result.ResourceVersion);
        Assert.Same(replica.Get("a"), retry.Result.Object);
        Assert.Null(retry.Change);
        StateAssert.ObjectsUnchanged(before, retry.State);
        Assert.Equal(before.Requests, retry.State.Requests);
        Assert.Equal(3, retry.State.AppliedIndex);
    }

    [Fact]
    public void Apply_RetriedAfterObjectMovedOn_ReplaysOriginalRvWithoutObject()
    {
        var replica = new Replica();
        var patch = Patch("a", """{"spec":{"replicas":2}}""") with { RequestId = "req-1" };
        replica.ApplyAll(Put(Widget("a")), patch, Patch("a", """{"spec":{"replicas":3}}"""));

        var retry = replica.Apply(patch);

        Assert.True(retry.Result.Replayed);
        Assert.Equal(WriteOutcome.Patched, retry.Result.Outcome);
        Assert.Equal(2, retry.Result.ResourceVersion);
        Assert.Null(retry.Result.Object);
        Assert.Equal(3, replica.Json("a")["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Apply_RetriedFailedRequest_ReturnsOriginalFailure()
    {
        var replica = new Replica();
        var create = Put(Widget("a", spec: """{"replicas":7}""")) with { CreateOnly = true, RequestId = "req-1" };
        replica.Apply(Put(Widget("a")));
        var failed = replica.Apply(create);
        replica.Apply(Delete("a"));
        var before = replica.State;

        var retry = replica.Apply(create);

        Assert.Equal(ErrorCode.AlreadyExists, failed.Result.Error);
        Assert.True(retry.Result.Replayed);
        StateAssert.Failed(ErrorCode.AlreadyExists, before, retry);
        Assert.Equal(failed.Result.Message, retry.Result.Message);
        Assert.Equal(1, retry.Result.ResourceVersion);
        Assert.Null(replica.State.Find(Key("a")));
    }

    [Fact]
    public void Apply_RetriedConflictWhileObjectUnchanged_ReplaysFailureWithoutObject()
    {
        var replica = new Replica();
        var update = Put(Widget("a", spec: """{"replicas":2}""")) with { ExpectedResourceVersion = 9, RequestId = "req-1" };
        replica.Apply(Put(Widget("a")));
        var failed = replica.Apply(update);

        var retry = replica.Apply(update);

        Assert.True(retry.Result.Replayed);
        Assert.Equal(failed.Result with { Replayed = true }, retry.Result);
        Assert.Null(retry.Result.Object);
    }

    [Fact]
    public void Apply_RetriedInvalidRequest_ReturnsOriginalInvalid()
    {
        var replica = new Replica();
        var bad = Patch("a", "[1]") with { RequestId = "req-1" };
        replica.Apply(Put(Widget("a")));
        var failed = replica.Apply(bad);

        var retry = replica.Apply(bad);

        Assert.Equal(failed.Result with { Replayed = true }, retry.Result);
    }

    [Fact]
    public void Apply_WithoutRequestId_NothingRemembered()
    {
        var replica = new Replica();

        replica.ApplyAll(Put(Widget("a")), Patch("a", "{}"), Delete("a"));

        Assert.True(replica.State.Requests.IsEmpty);
        Assert.Empty(replica.State.Requests.Records);
    }

    [Fact]
    public void Apply_RetryAtEndOfRetention_Replayed()
    {
        var replica = new Replica();
        var create = Put(Widget("a")) with { CreateOnly = true, RequestId = "req-1" };
        replica.Apply(create);

        var retry = replica.Apply(create with { TimestampMs = T0 + StoreState.RequestRetentionMs });

        Assert.True(retry.Result.Replayed);
        Assert.Equal(WriteOutcome.Created, retry.Result.Outcome);
    }

    [Fact]
    public void Apply_RetryAfterRetention_AppliedAgain()
    {
        var replica = new Replica();
        var create = Put(Widget("a")) with { CreateOnly = true, RequestId = "req-1" };
        replica.Apply(create);

        var late = create with { TimestampMs = T0 + StoreState.RequestRetentionMs + 1 };
        var retry = replica.Apply(late);

        Assert.False(retry.Result.Replayed);
        Assert.Equal(ErrorCode.AlreadyExists, retry.Result.Error);
        Assert.True(replica.State.Requests.TryGetValue("req-1", out var record));
        Assert.Equal(late.TimestampMs, record.TimestampMs);
        Assert.Single(replica.State.Requests.Records);
    }

    [Fact]
    public void Apply_AnyCommandAfterRetention_ForgetsOldIds()
    {
        var replica = new Replica();
        replica.ApplyAll(
            Delete("x") with { RequestId = "old" },
            Delete("x", time: T0 + 60_000) with { RequestId = "newer" });

        replica.Apply(Delete("y", time: T0 + StoreState.RequestRetentionMs + 1));

        Assert.Equal(["newer"], replica.State.Requests.Records.Select(r => r.RequestId));
        Assert.False(replica.State.Requests.ContainsKey("old"));
    }

    [Fact]
    public void Apply_MoreIdsThanMaxRecords_OldestForgottenAndCountBounded()
    {
        var replica = new Replica();
        for (var i = 0; i <= StoreState.MaxRequestRecords; i++)
        {
            replica.Apply(Delete("x") with { RequestId = $"req-{i}" });
        }

        Assert.Equal(StoreState.MaxRequestRecords, replica.State.Requests.Count);
        Assert.Equal(StoreState.MaxRequestRecords, replica.State.Requests.Records.Count());
        Assert.False(replica.State.Requests.ContainsKey("req-0"), "the oldest id should be forgotten once the table is full");
        Assert.True(replica.State.Requests.ContainsKey("req-1"));
        Assert.Equal("req-1", replica.State.Requests.Oldest.RequestId);

        Assert.True(replica.Apply(Delete("x") with { RequestId = "req-1" }).Result.Replayed);
        Assert.False(replica.Apply(Delete("x") with { RequestId = "req-0" }).Result.Replayed);
    }
}
