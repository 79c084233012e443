using System.Text.Json.Nodes;
using ControlPlane.Storage.Apply;

namespace ControlPlane.Storage.Tests.Support;

internal static class StateAssert
{
    /// <summary>The objects, their count and the hash are exactly as before (the applied index may move on).</summary>
    public static void ObjectsUnchanged(StoreState before, StoreState after)
    {
        Assert.Equal(before.Hash, after.Hash);
        Assert.Equal(before.ObjectCount, after.ObjectCount);
        Assert.Same(before.Kinds, after.Kinds);
    }

    /// <summary>The write failed with <paramref name="code"/>, published no change and left every object as it was.</summary>
    public static void Failed(ErrorCode code, StoreState before, ApplyOutcome outcome)
    {
        Assert.False(outcome.Result.Succeeded, $"expected {code}, got success {outcome.Result.Outcome}");
        Assert.Equal(code, outcome.Result.Error);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Result.Message), "a failure must say what was wrong");
        Assert.Null(outcome.Result.Object);
        Assert.Null(outcome.Change);
        ObjectsUnchanged(before, outcome.State);
    }

    /// <summary>The write succeeded as a NoOp at <paramref name="resourceVersion"/>, published no change and left every object as it was.</summary>
    public static void NoOp(StoreState before, ApplyOutcome outcome, long resourceVersion)
    {
        Assert.True(outcome.Result.Succeeded, $"expected NoOp, got {outcome.Result.Error}: {outcome.Result.Message}");
        Assert.Equal(WriteOutcome.NoOp, outcome.Result.Outcome);
        Assert.Equal(resourceVersion, outcome.Result.ResourceVersion);
        Assert.Null(outcome.Change);
        ObjectsUnchanged(before, outcome.State);
    }

    /// <summary>The node equals the JSON text, ignoring property order.</summary>
    public static void JsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString() ?? "null"}");

    public static void SameResource(StoredResource expected, StoredResource actual)
    {
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.ResourceVersion, actual.ResourceVersion);
        Assert.Equal(expected.Generation, actual.Generation);
        Assert.Equal(expected.CreationTimestampMs, actual.CreationTimestampMs);
        Assert.Equal(expected.Labels.OrderBy(l => l.Key, StringComparer.Ordinal), actual.Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Json, actual.Json);
    }

    /// <summary>Every object of both states, in order, is the same; so are the counters and the request table order.</summary>
    public static void Equivalent(StoreState expected, StoreState actual)
    {
        Assert.Equal(expected.AppliedIndex, actual.AppliedIndex);
        Assert.Equal(expected.ObjectCount, actual.ObjectCount);
        Assert.Equal(expected.Hash, actual.Hash);
        Assert.Equal(expected.Kinds.Keys, actual.Kinds.Keys);
        foreach (var (kind, objects) in expected.Kinds)
        {
            var other = actual.Kinds[kind];
            Assert.Equal(objects.Keys, other.Keys);
            foreach (var (key, resource) in objects) SameResource(resource, other[key]);
        }

        Assert.Equal(expected.Requests.Count, actual.Requests.Count);
        Assert.Equal(expected.Requests.Records, actual.Requests.Records);
        foreach (var record in expected.Requests.Records)
        {
            Assert.True(actual.Requests.TryGetValue(record.RequestId, out var found), $"request id {record.RequestId} is not found");
            Assert.Equal(record, found);
        }
    }
}
