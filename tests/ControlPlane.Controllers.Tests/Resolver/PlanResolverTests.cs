using ControlPlane.Controllers.Resolver;
using static ControlPlane.Controllers.Tests.Resolver.Objects;

namespace ControlPlane.Controllers.Tests.Resolver;

/// <summary>Status, condition and transition-time behaviour over successive resolutions of one Goal.</summary>
public class PlanResolverTests
{
    private static readonly DateTimeOffset T1 = Epoch.AddMinutes(1);
    private static readonly DateTimeOffset T2 = Epoch.AddMinutes(2);
    private static readonly DateTimeOffset T3 = Epoch.AddMinutes(3);

    [Fact]
    public void Found_FillsEveryStatusField()
    {
        var goal = Goal("web", "prod", generation: 3);
        var result = PlanResolver.Resolve(goal, [Plan("web-v1", "web", "stable", "1.0.0", ns: "prod")], T1);
        Assert.Equal(
            new GoalStatus(
                new PlanRef("web-v1", "prod"),
                GoalPhase.Ready,
                3,
                new StatusCondition("PlanResolved", ConditionStatus.True, "PlanFound",
                    "Plan \"web-v1\" chosen (version \"1.0.0\", series \"stable\"): the best of 1 series from 1 candidate Plan", T1, 3)),
            result.Status);
        Assert.Empty(result.Superseded);
    }

    [Fact]
    public void Found_StatusJsonHasTheDocumentedShape()
    {
        var goal = Goal("web", "prod", generation: 3);
        var json = PlanResolver.Resolve(goal, [Plan("p", "web", ns: "prod", version: "2")], T1).Status.ToStatusJson(goal.Status);
        Assert.Equal(
            """{"activePlanRef":{"name":"p","namespace":"prod"},"phase":"Ready","observedGeneration":3,"conditions":[{"type":"PlanResolved","status":"True","reason":"PlanFound","message":"Plan \u0022p\u0022 chosen (version \u00222\u0022, default series): the best of 1 series from 1 candidate Plan","lastTransitionTime":"2025-01-01T00:01:00Z","observedGeneration":3}]}""",
            json.ToJsonString());
    }

    [Fact]
    public void Found_WithoutAVersion_SaysSo()
    {
        var result = PlanResolver.Resolve(Goal(), [Plan("p")], T1);
        Assert.Equal(
            "Plan \"p\" chosen (no version, default series): the best of 1 series from 1 candidate Plan; " +
            "1 Plan with an invalid spec.version, ranked lowest: \"p\" (spec.version is missing)",
            result.Status.PlanResolved.Message);
    }

    [Fact]
    public void NotFound_MessageNamesNamespaceAndGoal()
    {
        var status = PlanResolver.Resolve(Goal("web", "prod"), [Plan("p", "api", ns: "prod")], T1).Status;
        Assert.Equal("no Plan in namespace \"prod\" has spec.goalRef.name \"web\"", status.PlanResolved.Message);
        Assert.Null(status.ActivePlanRef);
    }

    [Fact]
    public void NoMatch_MessageNamesSelectorAndPlansSorted()
    {
        var goal = Goal(selector: """{"matchLabels":{"tier":"gold"}}""");
        var status = PlanResolver.Resolve(goal, [Plan("b"), Plan("a", labels: Labels("tier=silver"))], T1).Status;
        Assert.Equal("2 Plans reference this Goal but none matches spec.planSelector \"tier=gold\": \"a\", \"b\"", status.PlanResolved.Message);
    }

    [Fact]
    public void NoMatch_OnePlan_MessageIsSingular()
    {
        var goal = Goal(selector: """{"matchLabels":{"tier":"gold"}}""");
        var status = PlanResolver.Resolve(goal, [Plan("a", labels: Labels("tier=silver"))], T1).Status;
        Assert.Equal("1 Plan references this Goal but none matches spec.planSelector \"tier=gold\": \"a\"", status.PlanResolved.Message);
    }

    [Fact]
    public void InvalidSelector_ReportedInTheCondition_AndClearsTheActivePlan()
    {
        var goal = Goal(selector: """{"matchLabels":{"tier":"gold"}}""");
        var plans = new[] { Plan("p", labels: Labels("tier=gold")) };
        var ready = AfterWrite(goal, PlanResolver.Resolve(goal, plans, T1));
        Assert.Equal(new PlanRef("p", "default"), ready.ActivePlanRef);

        var broken = ready with { Selector = null, SelectorError = Goal(selector: """{"matchExpressions":[{"key":"tier","operator":"Has"}]}""").SelectorError, Generation = 2 };
        var status = PlanResolver.Resolve(broken, plans, T2).Status;
        Assert.Equal(PlanResolvedReasons.InvalidSelector, status.PlanResolved.Reason);
        Assert.Equal(ConditionStatus.False, status.PlanResolved.Status);
        Assert.Contains("operator \"Has\" is not one of In, NotIn, Exists, DoesNotExist", status.PlanResolved.Message, StringComparison.Ordinal);
        Assert.Null(status.ActivePlanRef);
        Assert.Equal(GoalPhase.Pending, status.Phase);
        Assert.Equal(2, status.ObservedGeneration);
        Assert.Equal(T2, status.PlanResolved.LastTransitionTime);
    }

    [Fact]
    public void ActivePlanDeleted_GoalGoesBackToPending()
    {
        var goal = Goal();
        var ready = AfterWrite(goal, PlanResolver.Resolve(goal, [Plan("p1", version: "1")], T1));
        Assert.Equal(new PlanRef("p1", "default"), ready.ActivePlanRef);

        var result = PlanResolver.Resolve(ready, [], T2);
        Assert.Equal(GoalPhase.Pending, result.Status.Phase);
        Assert.Null(result.Status.ActivePlanRef);
        Assert.Equal((ConditionStatus.False, PlanResolvedReasons.NoPlanFound, T2),
            (result.Status.PlanResolved.Status, result.Status.PlanResolved.Reason, result.Status.PlanResolved.LastTransitionTime));
        Assert.True(result.Status.DiffersFrom(ready.Status));
        var pending = AfterWrite(ready, result);
        Assert.Null(pending.ActivePlanRef);
        Assert.DoesNotContain("activePlanRef", pending.Status!.Value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ActivePlanDeleted_FallsBackToTheNextBest()
    {
        var goal = Goal();
        var plans = new[] { Plan("p1", version: "1"), Plan("p2", version: "2") };
        var ready = AfterWrite(goal, PlanResolver.Resolve(goal, plans, T1));
        Assert.Equal("p2", ready.ActivePlanRef!.Name);
        var result = PlanResolver.Resolve(ready, [plans[0]], T2);
        Assert.Equal("p1", result.Status.ActivePlanRef!.Name);
        Assert.Equal(T1, result.Status.PlanResolved.LastTransitionTime);
    }

    [Fact]
    public void GenerationChanged_ObservedGenerationFollows_TransitionTimeStays()
    {
        var goal = Goal(generation: 1);
        var plans = new[] { Plan("p", version: "1") };
        var first = AfterWrite(goal, PlanResolver.Resolve(goal, plans, T1));
        var bumped = first with { Generation = 5 };
        var result = PlanResolver.Resolve(bumped, plans, T2);
        Assert.Equal(5, result.Status.ObservedGeneration);
        Assert.Equal(5, result.Status.PlanResolved.ObservedGeneration);
        Assert.Equal(T1, result.Status.PlanResolved.LastTransitionTime);
        Assert.True(result.Status.DiffersFrom(bumped.Status), "a new generation must be written as observedGeneration");
    }

    [Fact]
    public void TransitionTime_ChangesOnlyWhenTheConditionStatusChanges()
    {
        var goal = Goal(selector: """{"matchLabels":{"tier":"gold"}}""");
        var gold1 = Plan("gold1", version: "1", labels: Labels("tier=gold"));
        var gold2 = Plan("gold2", version: "2", labels: Labels("tier=gold"));
        var silver = Plan("silver", version: "9", labels: Labels("tier=silver"));

        // False/NoPlanFound at T1
        var g = Step(goal, [], T1, ConditionStatus.False, PlanResolvedReasons.NoPlanFound, T1);
        // still False, new reason NoPlanMatchesSelector: time kept
        g = Step(g, [silver], T2, ConditionStatus.False, PlanResolvedReasons.NoPlanMatchesSelector, T1);
        // True at T3: time moves
        g = Step(g, [silver, gold1], T3, ConditionStatus.True, PlanResolvedReasons.PlanFound, T3);
        // still True with another Plan chosen and another message: time kept
        g = Step(g, [silver, gold1, gold2], T3.AddMinutes(1), ConditionStatus.True, PlanResolvedReasons.PlanFound, T3);
        Assert.Equal("gold2", g.ActivePlanRef!.Name);
        // False again: time moves
        Step(g, [silver], T3.AddMinutes(2), ConditionStatus.False, PlanResolvedReasons.NoPlanMatchesSelector, T3.AddMinutes(2));
    }

    [Fact]
    public void TransitionTime_IsTruncatedToWholeSeconds_SoItSurvivesTheRoundTrip()
    {
        var goal = Goal();
        var now = Epoch.AddMilliseconds(1500);
        var result = PlanResolver.Resolve(goal, [Plan("p")], now);
        Assert.Equal(Epoch.AddSeconds(1), result.Status.PlanResolved.LastTransitionTime);
        var written = AfterWrite(goal, result);
        Assert.Equal(result.Status.PlanResolved, written.PreviousCondition);
    }

    [Fact]
    public void TransitionTime_NewWhenThePreviousConditionIsMalformed()
    {
        var goal = Goal(status: """{"conditions":[{"type":"PlanResolved","status":"True","lastTransitionTime":"2020-01-01T00:00:00Z"}]}""");
        var result = PlanResolver.Resolve(goal, [Plan("p")], T1);
        Assert.Equal(T1, result.Status.PlanResolved.LastTransitionTime);
    }

    [Fact]
    public void SameInputs_NoStatusWrite_NoHotLoop()
    {
        var goal = Goal(selector: """{"matchExpressions":[{"key":"env","operator":"Exists"}]}""");
        var plans = new[] { Plan("a", version: "1", labels: Labels("env=x")), Plan("b", series: "b", version: "2", supersedes: ["a"], labels: Labels("env=y")), Plan("c", version: "bad") };
        var first = PlanResolver.Resolve(goal, plans, T1);
        Assert.True(first.Status.DiffersFrom(goal.Status), "a Goal without status needs a write");
        var written = AfterWrite(goal, first);
        for (var i = 0; i < 3; i++)
        {
            var again = PlanResolver.Resolve(written, plans.Reverse(), T2.AddMinutes(i));
            Assert.False(again.Status.DiffersFrom(written.Status), $"resolution {i + 2} of unchanged inputs would write: {again.Status.ToStatusJson(written.Status).ToJsonString()} over {written.Status}");
        }

        var changed = PlanResolver.Resolve(written, [.. plans, Plan("d", series: "d", version: "3", labels: Labels("env=z"))], T2);
        Assert.True(changed.Status.DiffersFrom(written.Status));
    }

    [Fact]
    public void Message_ListsSupersededHeadsAndInvalidVersions()
    {
        var plans = new[]
        {
            Plan("old", series: "legacy", version: "5"),
            Plan("mid", series: "mid", version: "4", supersedes: ["old"]),
            Plan("new", series: "next", version: "1.0.0", supersedes: ["mid", "old"]),
            Plan("junk", series: "junk", version: "1.0.x"),
        };
        var result = PlanResolver.Resolve(Goal(), plans, T1);
        Assert.Equal("new", result.Selected!.Name);
        Assert.Equal(["mid", "old"], result.Superseded.Select(p => p.Name));
        Assert.Equal(
            "Plan \"new\" chosen (version \"1.0.0\", series \"next\"): the best of 2 series from 4 candidate Plans; " +
            "superseded: \"mid\" (by \"new\"), \"old\" (by \"mid\", \"new\"); " +
            "1 Plan with an invalid spec.version, ranked lowest: \"junk\" (" + PlanVersion.Parse("1.0.x").Error + ")",
            result.Status.PlanResolved.Message);
    }

    [Fact]
    public void Message_EverySeriesSuperseded_SaysSo()
    {
        var result = PlanResolver.Resolve(Goal(), [Plan("a", series: "a", supersedes: ["b"]), Plan("b", series: "b", supersedes: ["a"])], T1);
        Assert.Equal("2 candidate Plans in 2 series, but every series is superseded: \"a\" (by \"b\"), \"b\" (by \"a\")", result.Status.PlanResolved.Message);
        Assert.Equal(["a", "b"], result.Superseded.Select(p => p.Name));
    }

    [Fact]
    public void Message_LongListsAreCapped()
    {
        var goal = Goal(selector: """{"matchLabels":{"tier":"gold"}}""");
        var plans = Enumerable.Range(0, 12).Select(i => Plan($"p{i:D2}")).ToArray();
        var message = PlanResolver.Resolve(goal, plans, T1).Status.PlanResolved.Message;
        Assert.EndsWith("\"p00\", \"p01\", \"p02\", \"p03\", \"p04\" and 7 more", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_IsIndependentOfPlanOrder_SeededShuffles()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var plans = new List<PlanView>();
        for (var i = 0; i < 30; i++)
        {
            var series = $"s{random.Next(4)}";
            var version = random.Next(5) switch
            {
                0 => $"{random.Next(3)}",
                1 => $"{random.Next(3)}.{random.Next(3)}",
                2 => $"{random.Next(3)}.{random.Next(3)}.{random.Next(3)}",
                3 => $"{random.Next(3)}.{random.Next(3)}.{random.Next(3)}-rc.{random.Next(3)}",
                _ => "bad",
            };
            var supersedes = random.Next(4) == 0 ? new[] { $"p{random.Next(30)}" } : null;
            plans.Add(Plan($"p{i}", series: series, version: version, supersedes: supersedes, createdSecond: random.Next(3)));
        }

        var expected = PlanResolver.Resolve(Goal(), plans, T1).Status;
        for (var round = 0; round < 20; round++)
        {
            var shuffled = plans.OrderBy(_ => random.Next()).ToArray();
            Assert.True(expected == PlanResolver.Resolve(Goal(), shuffled, T1).Status, $"result depends on Plan order (seed {seed}, round {round})");
        }
    }

    [Fact]
    public void Resolve_SamePlanTwice_IsACallerBug()
    {
        var e = Assert.Throws<ArgumentException>(() => PlanResolver.Resolve(Goal(), [Plan("p"), Plan("p", version: "2")], T1));
        Assert.Contains("default/p appears more than once", e.Message, StringComparison.Ordinal);
    }

    private static GoalView Step(GoalView goal, PlanView[] plans, DateTimeOffset now, ConditionStatus status, string reason, DateTimeOffset since)
    {
        var result = PlanResolver.Resolve(goal, plans, now);
        var c = result.Status.PlanResolved;
        Assert.Equal((status, reason, since), (c.Status, c.Reason, c.LastTransitionTime));
        return AfterWrite(goal, result);
    }
}
