using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.Testing.Watch;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>
/// Writers that put and delete Widgets through the SDK until stopped, each on its own keys, changing the tier label
/// between gold and silver (so selectors see objects enter and leave), and recording every acknowledged write.
/// </summary>
internal sealed class WidgetWriters
{
    public const string LabelKey = "tier";

    private readonly Lock _lock = new();
    private readonly List<(ObjectKey Key, long ResourceVersion, bool Deleted)> _acknowledged = [];
    private int _indeterminate;

    public int Acknowledged
    {
        get
        {
            lock (_lock) return _acknowledged.Count;
        }
    }

    public int Indeterminate => Volatile.Read(ref _indeterminate);

    public IReadOnlyList<(ObjectKey Key, long ResourceVersion, bool Deleted)> AcknowledgedWrites
    {
        get
        {
            lock (_lock) return [.. _acknowledged];
        }
    }

    public static ObjectKey Key(string @namespace, string name) => new(Objects.ApiVersion, Objects.Kind, @namespace, name);

    /// <summary>Writes to <paramref name="keys"/> until <paramref name="stop"/>, pausing <paramref name="pace"/> between writes.</summary>
    public async Task RunAsync(IControlPlaneClient client, IReadOnlyList<ObjectKey> keys, int seed, TimeSpan pace, CancellationToken stop)
    {
        var random = new Random(seed);
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var key = keys[random.Next(keys.Count)];
            var delete = random.Next(10) < 2;
            try
            {
                var result = delete
                    ? await client.DeleteAsync(new ObjectReference(key.ApiVersion, key.Kind, key.Namespace, key.Name), cancellationToken: CancellationToken.None)
                    : await client.ApplyAsync(Widget(key, random.Next(2) == 0 ? "gold" : "silver", ++n), cancellationToken: CancellationToken.None);
                if (result.Outcome != WriteOutcome.NoOp)
                {
                    lock (_lock) _acknowledged.Add((key, long.Parse(result.ResourceVersion, CultureInfo.InvariantCulture), delete));
                }
            }
            catch (ControlPlaneClientException e) when (e.Reason is ErrorReason.Unavailable or ErrorReason.DeadlineExceeded)
            {
                // The write may or may not have been applied: the model (read back from the store) decides.
                Interlocked.Increment(ref _indeterminate);
            }

            try
            {
                await Task.Delay(pace, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> writes were acknowledged.</summary>
    public Task WaitForAcknowledgedAsync(int count, TimeSpan timeout) =>
        Testing.Eventually.WaitAsync(() => Task.FromResult(Acknowledged >= count), timeout, () => $"{count} acknowledged writes; {Acknowledged} so far, {Indeterminate} indeterminate");

    /// <summary>Every acknowledged write is the commit at its resourceVersion in the model (P1 through the watch).</summary>
    public void AssertAllIn(CommittedHistory history)
    {
        foreach (var (key, rv, deleted) in AcknowledgedWrites)
        {
            var commit = history.At(rv).SingleOrDefault(c => c.Key == key);
            Assert.True(commit is not null, $"the acknowledged {(deleted ? "delete" : "put")} of {key} at {rv} is not in the committed history");
            Assert.True((commit.After is null) == deleted, $"the acknowledged {(deleted ? "delete" : "put")} of {key} at {rv} is a {commit} in the history");
        }
    }

    private static JsonObject Widget(ObjectKey key, string tier, int n) => new()
    {
        ["apiVersion"] = key.ApiVersion,
        ["kind"] = key.Kind,
        ["metadata"] = new JsonObject { ["name"] = key.Name, ["namespace"] = key.Namespace, ["labels"] = new JsonObject { [LabelKey] = tier } },
        ["spec"] = new JsonObject { ["n"] = n, ["writtenAt"] = Stopwatch.GetTimestamp() },
    };
}
