using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>
/// Every committed change of the Goals of one namespace, recorded by a watch from resourceVersion 0 (the SDK resumes it
/// on another member when its member dies), and the checks of the resolver's exactly-once contract over it.
/// </summary>
internal sealed class GoalHistory : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(long Rv, WatchEvent Event)>> _events = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private long _position;
    private int _statusWrites;

    private GoalHistory(ControlPlaneClient? client, string @namespace)
    {
        var request = new WatchRequest(GoalFleet.ApiVersion, "Goal") { Namespace = @namespace, FromResourceVersion = "0", AllowBookmarks = true };
        _watching = client is null ? Task.CompletedTask : Task.Run(() => WatchAsync(client, request, _stop.Token));
    }

    /// <summary>Status writes seen so far: commits that changed a Goal's status.</summary>
    public int StatusWrites
    {
        get { lock (_lock) return _statusWrites; }
    }

    /// <summary>The resourceVersion up to which every Goal change has been delivered.</summary>
    public long Position
    {
        get { lock (_lock) return _position; }
    }

    public static GoalHistory Start(ControlPlaneClient client, string @namespace) => new(client, @namespace);

    /// <summary>A history of the given batches, with no watch: to test the checks themselves.</summary>
    public static GoalHistory Of(IEnumerable<WatchEventBatch> batches)
    {
        var history = new GoalHistory(null, "");
        foreach (var batch in batches) history.Record(batch);
        return history;
    }

    /// <summary>Waits until the watch has delivered everything up to <paramref name="resourceVersion"/>.</summary>
    public Task WaitForPositionAsync(long resourceVersion, TimeSpan timeout) =>
        Eventually.WaitAsync(
            () => _watching.IsFaulted ? throw new InvalidOperationException("the Goal watch failed", _watching.Exception) : Task.FromResult(Position >= resourceVersion),
            timeout,
            () => $"the Goal watch to reach resourceVersion {resourceVersion}; it is at {Position}");

    /// <summary>The status writes of <paramref name="goal"/> in commit order.</summary>
    public IReadOnlyList<GoalStatusWrite> StatusWritesOf(string goal)
    {
        lock (_lock) return _events.TryGetValue(goal, out var events) ? [.. StatusWritesIn(events)] : [];
    }

    /// <summary>Status writes with a resourceVersion above <paramref name="resourceVersion"/>, over all Goals.</summary>
    public int StatusWritesAfter(long resourceVersion)
    {
        lock (_lock) return _events.Values.Sum(events => StatusWritesIn(events).Count(w => w.ResourceVersion > resourceVersion));
    }

    /// <summary>Every commit of a Goal with a resourceVersion above <paramref name="resourceVersion"/>.</summary>
    public IReadOnlyList<string> CommitsAfter(long resourceVersion)
    {
        lock (_lock)
        {
            return [.. _events.SelectMany(e => e.Value.Where(x => x.Rv > resourceVersion).Select(x => $"{e.Key} {x.Event.Type} at {x.Rv}"))];
        }
    }

    /// <summary>
    /// The resolver's contract, per Goal, over its whole committed history: created once and never deleted; no commit
    /// that changed nothing; every status write names a decision (generation, Plan, phase) no earlier write named, for the
    /// generation the Goal had at that commit, Ready with PlanResolved True since one lastTransitionTime; and the last
    /// write is the expected decision. So a lost write (missing or wrong last decision) and a duplicate (a decision
    /// written twice, or a write that only changes its message or time) both fail.
    /// </summary>
    public IReadOnlyList<string> Check(IReadOnlyDictionary<string, GoalExpectation> expected)
    {
        var violations = new List<string>();
        lock (_lock)
        {
            foreach (var name in _events.Keys.Except(expected.Keys)) violations.Add($"{name}: not a Goal of the workload");
            foreach (var (name, expectation) in expected)
            {
                if (!_events.TryGetValue(name, out var events))
                {
                    violations.Add($"{name}: never seen");
                    continue;
                }

                violations.AddRange(CheckGoal(name, events, expectation));
            }
        }

        return violations;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static IEnumerable<string> CheckGoal(string name, List<(long Rv, WatchEvent Event)> events, GoalExpectation expected)
    {
        if (events[0].Event.Type != WatchEventType.Added) yield return $"{name}: first event {events[0].Event.Type} at {events[0].Rv}, expected Added";
        for (var i = 1; i < events.Count; i++)
        {
            var (rv, e) = events[i];
            if (e.Type != WatchEventType.Modified) yield return $"{name}: {e.Type} at {rv}; only Modified may follow Added";
            else if (JsonNode.DeepEquals(WithoutVersion(e.Object), WithoutVersion(events[i - 1].Event.Object))) yield return $"{name}: the commit at {rv} changed nothing but the resourceVersion";
        }

        var writes = StatusWritesIn(events).ToList();
        if (writes.Count == 0)
        {
            yield return $"{name}: no status was ever written (lost); expected {expected.Plan} for generation {expected.Generation}";
            yield break;
        }

        var decisions = new HashSet<(long?, string?, string?)>();
        foreach (var write in writes)
        {
            if (!decisions.Add(write.Decision)) yield return $"{name}: duplicate status write {write}; all writes: {string.Join(" | ", writes)}";
            if (write.ObservedGeneration != write.ObjectGeneration) yield return $"{name}: status for generation {write.ObservedGeneration} written when the Goal had generation {write.ObjectGeneration}: {write}";
            if (write.Phase != "Ready" || write.ConditionStatus != "True" || write.ConditionReason != "PlanFound") yield return $"{name}: not Ready with PlanFound although its Plans existed before it: {write}";
            if (write.LastTransitionTime != writes[0].LastTransitionTime) yield return $"{name}: lastTransitionTime moved while PlanResolved stayed True: {string.Join(" | ", writes)}";
        }

        if (!writes[^1].Matches(expected)) yield return $"{name}: last status write {writes[^1]}, expected Ready {expected.Plan} for generation {expected.Generation}";
    }

    private static IEnumerable<GoalStatusWrite> StatusWritesIn(List<(long Rv, WatchEvent Event)> events)
    {
        JsonNode? previous = null;
        foreach (var (_, e) in events)
        {
            var status = e.Object["status"];
            if (!JsonNode.DeepEquals(status, previous) && GoalStatusWrite.TryRead(e.Object, out var write)) yield return write;
            previous = status;
        }
    }

    private static JsonObject WithoutVersion(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("resourceVersion");
        return copy;
    }

    private async Task WatchAsync(ControlPlaneClient client, WatchRequest request, CancellationToken cancellationToken)
    {
        await foreach (var batch in client.WatchAsync(request, cancellationToken)) Record(batch);
    }

    private void Record(WatchEventBatch batch)
    {
        var rv = long.Parse(batch.ResourceVersion, CultureInfo.InvariantCulture);
        lock (_lock)
        {
            foreach (var e in batch.Events)
            {
                var name = GoalStatusWrite.Name(e.Object);
                if (!_events.TryGetValue(name, out var events)) _events[name] = events = [];
                var before = events.Count > 0 ? events[^1].Event.Object["status"] : null;
                events.Add((rv, e));
                if (e.Object["status"] is not null && !JsonNode.DeepEquals(e.Object["status"], before)) _statusWrites++;
            }

            _position = rv;
        }
    }
}
