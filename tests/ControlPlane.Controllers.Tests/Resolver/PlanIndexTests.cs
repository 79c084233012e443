using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Controllers.Resolver;
using ControlPlane.Core.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Controllers.Tests.Resolver;

public sealed class PlanIndexTests
{
    private static readonly ResourceKey G1 = PlanningKinds.GoalKey("default", "g1");
    private static readonly ResourceKey G2 = PlanningKinds.GoalKey("default", "g2");

    private readonly PlanIndex _index = new(NullLogger.Instance);

    [Fact]
    public void FollowsPlanCreateGoalRefChangeAndDelete()
    {
        _index.Replace([Stored("p0", "g1", 1)]);

        var p1 = Stored("p1", "g1", 2);
        Assert.Equal([G1], _index.Apply(null, p1));
        Assert.Equal(["p0", "p1"], Names(G1));

        var moved = Stored("p1", "g2", 3);
        Assert.Equal([G1, G2], _index.Apply(p1, moved));
        Assert.Equal(["p0"], Names(G1));
        Assert.Equal(["p1"], Names(G2));

        Assert.Equal([G2], _index.Apply(moved, null));
        Assert.Empty(_index.PlansFor(G2));
        Assert.Equal(1, _index.Count);
    }

    [Fact]
    public void Relist_DropsPlansThatVanished_AndParsesUnchangedPlansOnlyOnce()
    {
        _index.Replace([Stored("p0", "g1", 1), Stored("p1", "g1", 2)]);
        var parsed = _index.PlansFor(G1)[0];

        _index.Replace([Stored("p0", "g1", 1), Stored("p2", "g2", 5)]);

        Assert.Same(parsed, Assert.Single(_index.PlansFor(G1)));
        Assert.Equal(["p2"], Names(G2));
    }

    [Fact]
    public void Relist_PlanThatMovedWhileTheWatchWasDown_QueuesTheGoalItLeftAndTheOneItJoined()
    {
        // The informer's order on a relist: Replace with the list, then Apply(old, new) for every Plan that differs.
        var before = Stored("p1", "g1", 2);
        _index.Replace([before]);
        var after = Stored("p1", "g2", 5);
        _index.Replace([after]);

        Assert.Equal([G1, G2], _index.Apply(before, after));
        Assert.Empty(_index.PlansFor(G1));
        Assert.Equal(["p1"], Names(G2));
    }

    [Fact]
    public void ListedOrResynced_QueuesThePlansGoal_EvenWhenNothingChanged()
    {
        var p0 = Stored("p0", "g1", 1);
        _index.Replace([p0]);

        Assert.Equal([G1], _index.Apply(null, p0));
        Assert.Empty(_index.Apply(p0, Stored("p0", "g1", 7)));
    }

    [Fact]
    public void MalformedPlan_IsNoCandidate_UntilFixed()
    {
        var broken = new StoredResource(
            PlanningKinds.PlanKey("default", "bad"), "uid-bad", 1, 1, 0, FrozenDictionary<string, string>.Empty,
            Encoding.UTF8.GetBytes("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Plan","metadata":{"name":"bad","namespace":"default"},"spec":{}}"""));
        _index.Replace([broken]);
        Assert.Equal(1, _index.Count);
        Assert.Empty(_index.PlansFor(G1));

        Assert.Equal([G1], _index.Apply(broken, Stored("bad", "g1", 2)));
        Assert.Equal(["bad"], Names(G1));
    }

    private string[] Names(ResourceKey goal) => [.. _index.PlansFor(goal).Select(p => p.Name)];

    private static StoredResource Stored(string name, string goal, long resourceVersion)
    {
        JsonObject json = Objects.PlanJson(name, goal);
        json["metadata"]!["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new StoredResource(
            PlanningKinds.PlanKey("default", name), $"uid-{name}", resourceVersion, 1, 0, FrozenDictionary<string, string>.Empty,
            Encoding.UTF8.GetBytes(json.ToJsonString()));
    }
}
