using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>The exactly-once checks of <see cref="GoalHistory"/> catch what they claim to, on hand-written histories.</summary>
public sealed class GoalHistoryTests
{
    private const string Early = "2026-01-01T00:00:00Z";
    private const string Late = "2026-01-01T00:00:09Z";
    private static readonly Dictionary<string, GoalExpectation> _expected = new(StringComparer.Ordinal) { ["g"] = new GoalExpectation(1, "p2") };

    [Fact]
    public void OneWritePerDecision_NoViolation()
    {
        var violations = Check(Added(1), Status(2, gen: 1, "p1", Early), Status(3, gen: 1, "p2", Early));
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("lost", "no status was ever written")]
    [InlineData("wrong-last", "last status write")]
    [InlineData("duplicate", "duplicate status write")]
    [InlineData("message-only", "duplicate status write")]
    [InlineData("time-moved", "lastTransitionTime moved")]
    [InlineData("no-change", "changed nothing but the resourceVersion")]
    [InlineData("stale-generation", "written when the Goal had generation 2")]
    public void Violation_Reported(string history, string expected)
    {
        var violations = history switch
        {
            "lost" => Check(Added(1)),
            "wrong-last" => Check(Added(1), Status(2, gen: 1, "p1", Early)),
            "duplicate" => Check(Added(1), Status(2, gen: 1, "p2", Early), Status(3, gen: 1, "p1", Early), Status(4, gen: 1, "p2", Early)),
            "message-only" => Check(Added(1), Status(2, gen: 1, "p2", Early), Status(3, gen: 1, "p2", Early, "said differently")),
            "time-moved" => Check(Added(1), Status(2, gen: 1, "p1", Early), Status(3, gen: 1, "p2", Late)),
            "no-change" => Check(Added(1), Status(2, gen: 1, "p2", Early), Status(3, gen: 1, "p2", Early)),
            "stale-generation" => Check(Added(1), Status(2, gen: 2, "p2", Early, observed: 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(history), history, "unknown case"),
        };
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Check(params WatchEventBatch[] batches) => GoalHistory.Of(batches).Check(_expected);

    private static WatchEventBatch Added(long rv) => Batch(rv, WatchEventType.Added, Goal(rv, 1));

    private static WatchEventBatch Status(long rv, long gen, string plan, string since, string message = "chosen", long? observed = null)
    {
        var goal = Goal(rv, gen);
        var generation = observed ?? gen;
        goal["status"] = new JsonObject
        {
            ["activePlanRef"] = new JsonObject { ["name"] = plan, ["namespace"] = "n" },
            ["phase"] = "Ready",
            ["observedGeneration"] = generation,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PlanResolved",
                ["status"] = "True",
                ["reason"] = "PlanFound",
                ["message"] = message,
                ["lastTransitionTime"] = since,
                ["observedGeneration"] = generation,
            }),
        };
        return Batch(rv, WatchEventType.Modified, goal);
    }

    private static JsonObject Goal(long rv, long generation) => new()
    {
        ["apiVersion"] = GoalFleet.ApiVersion,
        ["kind"] = "Goal",
        ["metadata"] = new JsonObject
        {
            ["name"] = "g",
            ["namespace"] = "n",
            ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture),
            ["generation"] = generation,
        },
        ["spec"] = new JsonObject(),
    };

    private static WatchEventBatch Batch(long rv, WatchEventType type, JsonObject goal) =>
        new(rv.ToString(CultureInfo.InvariantCulture), [new WatchEvent(type, goal, null)], false, "test");
}
