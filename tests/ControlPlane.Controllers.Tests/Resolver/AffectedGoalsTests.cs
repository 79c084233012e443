using ControlPlane.Controllers.Resolver;
using ControlPlane.Core.Resources;
using static ControlPlane.Controllers.Tests.Resolver.Objects;

namespace ControlPlane.Controllers.Tests.Resolver;

public class AffectedGoalsTests
{
    private static readonly ResourceKey G = PlanningKinds.GoalKey("default", "g");
    private static readonly ResourceKey H = PlanningKinds.GoalKey("default", "h");

    private static readonly Dictionary<string, (PlanView? Before, PlanView? After, ResourceKey[] Expected)> Cases = new()
    {
        ["nothing before or after"] = (null, null, []),
        ["created"] = (null, Plan("p", "g"), [G]),
        ["deleted"] = (Plan("p", "g"), null, [G]),
        ["unchanged"] = (Plan("p", "g", version: "1"), Plan("p", "g", version: "1"), []),
        ["version changed"] = (Plan("p", "g", version: "1"), Plan("p", "g", version: "2"), [G]),
        ["build metadata changed"] = (Plan("p", "g", version: "1.0.0+a"), Plan("p", "g", version: "1.0.0+b"), [G]),
        ["labels changed"] = (Plan("p", "g", labels: Labels("a=1")), Plan("p", "g", labels: Labels("a=2")), [G]),
        ["supersedes changed"] = (Plan("p", "g"), Plan("p", "g", supersedes: ["q"]), [G]),
        ["series changed"] = (Plan("p", "g", series: "a"), Plan("p", "g", series: "b"), [G]),
        ["goalRef moved g to h"] = (Plan("p", "g"), Plan("p", "h"), [G, H]),
        ["goalRef moved h to g (sorted)"] = (Plan("p", "h"), Plan("p", "g"), [G, H]),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AffectedGoals(string name)
    {
        var (before, after, expected) = Cases[name];
        Assert.Equal(expected, PlanResolver.AffectedGoals(before, after));
    }

    [Fact]
    public void FieldsTheResolverDoesNotRead_AffectNothing()
    {
        var before = PlanJson("p", "g", version: "1");
        var after = PlanJson("p", "g", version: "1");
        after["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { ["note"] = "x" };
        after["metadata"]!["generation"] = System.Text.Json.Nodes.JsonNode.Parse("2");
        after["metadata"]!["resourceVersion"] = "77";
        after["spec"]!["steps"] = new System.Text.Json.Nodes.JsonArray(1, 2, 3);
        Assert.Empty(PlanResolver.AffectedGoals(PlanView.Parse(before), PlanView.Parse(after)));
    }

    [Fact]
    public void DifferentPlans_AreACallerBug()
    {
        Assert.Throws<ArgumentException>(() => PlanResolver.AffectedGoals(Plan("p"), Plan("q")));
    }

    /// <summary>
    /// The property the controller relies on: after any Plan change, every Goal not in AffectedGoals resolves
    /// exactly as before, so re-resolving only the affected ones loses nothing.
    /// </summary>
    [Fact]
    public void GoalsNotAffected_ResolveExactlyAsBefore_RandomEdits()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        string[] goals = ["g0", "g1", "g2"];
        var goalViews = goals.Select(g => Goal(g, selector: g == "g1" ? """{"matchLabels":{"tier":"gold"}}""" : null)).ToArray();
        var plans = new Dictionary<string, PlanView>();
        PlanView RandomPlan(string name) => Plan(
            name,
            goals[random.Next(goals.Length)],
            series: $"s{random.Next(3)}",
            version: $"{random.Next(4)}.{random.Next(2)}",
            supersedes: random.Next(3) == 0 ? [$"p{random.Next(8)}"] : null,
            labels: random.Next(2) == 0 ? Labels("tier=gold") : null,
            createdSecond: random.Next(3));

        for (var step = 0; step < 300; step++)
        {
            var statusBefore = goalViews.ToDictionary(g => g.Name, g => PlanResolver.Resolve(g, plans.Values, Epoch).Status);
            var name = $"p{random.Next(8)}";
            plans.TryGetValue(name, out var before);
            var after = random.Next(4) == 0 ? null : RandomPlan(name);
            if (after is null) plans.Remove(name);
            else plans[name] = after;

            var affected = PlanResolver.AffectedGoals(before, after);
            foreach (var goal in goalViews.Where(g => !affected.Contains(g.Key)))
            {
                Assert.True(
                    statusBefore[goal.Name] == PlanResolver.Resolve(goal, plans.Values, Epoch).Status,
                    $"seed {seed}, step {step}: changing {name} altered {goal.Name}, which AffectedGoals({before?.GoalName}, {after?.GoalName}) left out");
            }
        }
    }
}
