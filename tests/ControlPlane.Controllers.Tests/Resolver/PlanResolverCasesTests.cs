using ControlPlane.Controllers.Resolver;
using static ControlPlane.Controllers.Tests.Resolver.Objects;

namespace ControlPlane.Controllers.Tests.Resolver;

/// <summary>Which Plan a Goal gets: one table of scenarios, each run against every order of its Plans.</summary>
public class PlanResolverCasesTests
{
    private const string Found = PlanResolvedReasons.PlanFound;
    private const string NotFound = PlanResolvedReasons.NoPlanFound;
    private const string NoMatch = PlanResolvedReasons.NoPlanMatchesSelector;

    /// <summary>Name -> (goal selector, plans, expected active Plan or null, expected reason).</summary>
    private static readonly Dictionary<string, (string? Selector, PlanView[] Plans, string? Active, string Reason)> Cases = new()
    {
        // the original's flow
        ["single plan"] = (null, [Plan("p1", version: "1")], "p1", Found),
        ["no plans at all"] = (null, [], null, NotFound),
        ["plans for another goal only"] = (null, [Plan("p1", goal: "other")], null, NotFound),
        ["plans in another namespace are ignored"] = (null, [Plan("p1", ns: "elsewhere"), Plan("p2", goal: "x")], null, NotFound),
        ["other namespace ignored even when better"] = (null, [Plan("far", version: "9", ns: "elsewhere"), Plan("near", version: "1")], "near", Found),
        ["highest version in a series, numerically"] = (null, [Plan("a", series: "s", version: "1.9.0"), Plan("c", series: "s", version: "1.10.0"), Plan("b", series: "s", version: "1.2.0")], "c", Found),
        ["several series: best head wins"] = (null,
            [Plan("a1", series: "a", version: "1.0"), Plan("a2", series: "a", version: "2.0"), Plan("b1", series: "b", version: "1.5"), Plan("d1", version: "3")], "d1", Found),
        ["default series is one series"] = (null, [Plan("x", version: "1"), Plan("y", series: "", version: "2")], "y", Found),

        // supersedes
        ["supersedes across series beats a higher version"] = (null,
            [Plan("old", series: "legacy", version: "5.0.0"), Plan("new", series: "next", version: "1.0.0", supersedes: ["old"])], "new", Found),
        ["supersedes chain is transitive"] = (null,
            [Plan("a", series: "a", version: "9"), Plan("b", series: "b", version: "2", supersedes: ["a"]), Plan("c", series: "c", version: "1", supersedes: ["b"])], "c", Found),
        ["a superseded plan's own supersedes still count"] = (null,
            [Plan("a", series: "a", version: "3"), Plan("b", series: "b", version: "2", supersedes: ["a"]), Plan("c", series: "c", version: "1", supersedes: ["b"]), Plan("z", series: "z", version: "2.5")], "z", Found),
        ["a lower version's supersedes still count"] = (null,
            [Plan("old1", series: "old", version: "5.0"), Plan("n1", series: "new", version: "1.0", supersedes: ["old1"]), Plan("n2", series: "new", version: "2.0")], "n2", Found),
        ["superseding an absent plan changes nothing"] = (null, [Plan("a", version: "2", supersedes: ["ghost"]), Plan("b", series: "b", version: "1")], "a", Found),
        ["cycle drops both"] = (null, [Plan("a", series: "a", version: "1", supersedes: ["b"]), Plan("b", series: "b", version: "2", supersedes: ["a"])], null, NotFound),
        ["cycle drops both, a third plan wins"] = (null,
            [Plan("a", series: "a", version: "5", supersedes: ["b"]), Plan("b", series: "b", version: "6", supersedes: ["a"]), Plan("c", series: "c", version: "1")], "c", Found),
        ["self-supersede is ignored"] = (null, [Plan("a", version: "1", supersedes: ["a"])], "a", Found),
        ["superseded head drops its series"] = (null,
            [Plan("s2", series: "s", version: "2.0"), Plan("s1", series: "s", version: "1.0", supersedes: ["s2"]), Plan("t", series: "t", version: "0.1")], "t", Found),
        ["superseding a non-head changes nothing"] = (null,
            [Plan("s2", series: "s", version: "2.0"), Plan("s1", series: "s", version: "1.0"), Plan("t", series: "t", version: "1.5", supersedes: ["s1"])], "s2", Found),
        ["a plan filtered out by the selector supersedes nothing"] = ("""{"matchLabels":{"tier":"gold"}}""",
            [Plan("a", series: "a", version: "2", labels: Labels("tier=gold")), Plan("b", series: "b", version: "3", supersedes: ["a"], labels: Labels("tier=silver"))], "a", Found),
        ["another goal's plan supersedes nothing"] = (null, [Plan("a", version: "1"), Plan("x", goal: "other", version: "2", supersedes: ["a"])], "a", Found),

        // selectors
        ["selector matches nothing"] = ("""{"matchLabels":{"tier":"gold"}}""", [Plan("a", labels: Labels("tier=silver")), Plan("b")], null, NoMatch),
        ["selector picks a lower version"] = ("""{"matchLabels":{"tier":"gold"}}""",
            [Plan("gold", version: "1", labels: Labels("tier=gold")), Plan("silver", series: "s", version: "2", labels: Labels("tier=silver"))], "gold", Found),
        ["selector In"] = ("""{"matchExpressions":[{"key":"env","operator":"In","values":["prod","staging"]}]}""",
            [Plan("p", series: "p", version: "1", labels: Labels("env=prod")), Plan("d", series: "d", version: "9", labels: Labels("env=dev")), Plan("n", series: "n", version: "8")], "p", Found),
        ["selector NotIn"] = ("""{"matchExpressions":[{"key":"env","operator":"NotIn","values":["dev","prod"]}]}""",
            [Plan("p", series: "p", version: "9", labels: Labels("env=prod")), Plan("d", series: "d", version: "8", labels: Labels("env=dev")), Plan("n", series: "n", version: "1")], "n", Found),
        ["selector Exists"] = ("""{"matchExpressions":[{"key":"canary","operator":"Exists"}]}""",
            [Plan("c", series: "c", version: "1", labels: Labels("canary=")), Plan("n", series: "n", version: "9")], "c", Found),
        ["selector DoesNotExist"] = ("""{"matchExpressions":[{"key":"canary","operator":"DoesNotExist"}]}""",
            [Plan("c", series: "c", version: "9", labels: Labels("canary=yes")), Plan("n", series: "n", version: "1")], "n", Found),
        ["matchLabels and matchExpressions are ANDed"] = ("""{"matchLabels":{"tier":"gold"},"matchExpressions":[{"key":"env","operator":"In","values":["prod"]}]}""",
            [Plan("a", series: "a", version: "9", labels: Labels("tier=gold")), Plan("b", series: "b", version: "8", labels: Labels("env=prod")), Plan("c", series: "c", version: "1", labels: Labels("tier=gold", "env=prod"))], "c", Found),
        ["selector misses every plan NotIn"] = ("""{"matchExpressions":[{"key":"env","operator":"NotIn","values":["prod"]}]}""",
            [Plan("p", labels: Labels("env=prod"))], null, NoMatch),

        // ties
        ["equal versions: earliest created wins"] = (null,
            [Plan("a", series: "s", version: "1.0.0", createdSecond: 5), Plan("b", series: "s", version: "1.0.0", createdSecond: 3)], "b", Found),
        ["equal versions and creation: smaller name wins"] = (null,
            [Plan("b", series: "s", version: "1.0.0"), Plan("a", series: "s", version: "1.0.0")], "a", Found),
        ["equal versions across series: earliest created wins"] = (null,
            [Plan("x", series: "x", version: "2", createdSecond: 9), Plan("y", series: "y", version: "2", createdSecond: 1)], "y", Found),
        ["build metadata is ignored: creation decides"] = (null,
            [Plan("a", version: "1.0.0+a", createdSecond: 2), Plan("b", version: "1.0.0+b", createdSecond: 1)], "b", Found),
        ["a version without a creation time ranks newest on a tie"] = (null,
            [PlanWithoutCreation("old", "1"), Plan("new", version: "1", createdSecond: 100)], "new", Found),

        // pre-releases
        ["release beats its pre-releases"] = (null,
            [Plan("a", version: "1.0.0-alpha"), Plan("a1", version: "1.0.0-alpha.1"), Plan("b", version: "1.0.0-beta"), Plan("rc", version: "1.0.0-rc.1"), Plan("r", version: "1.0.0")], "r", Found),
        ["highest pre-release when there is no release"] = (null,
            [Plan("a", version: "1.0.0-alpha"), Plan("a1", version: "1.0.0-alpha.1"), Plan("b", version: "1.0.0-beta"), Plan("rc", version: "1.0.0-rc.1")], "rc", Found),
        ["numeric pre-release identifiers by value"] = (null, [Plan("rc9", version: "1.0.0-rc.9"), Plan("rc10", version: "1.0.0-rc.10")], "rc10", Found),
        ["pre-release of a higher version beats a lower release"] = (null, [Plan("r", version: "1.9.9"), Plan("pre", version: "2.0.0-alpha")], "pre", Found),

        // mixed forms
        ["integer beats dotted and semver below it"] = (null, [Plan("i", version: "3"), Plan("s", version: "2.9.9"), Plan("d", version: "2.10")], "i", Found),
        ["longer spelling of the same number wins"] = (null, [Plan("i", version: "3"), Plan("d", version: "3.0"), Plan("s", version: "3.0.0")], "s", Found),
        ["four components beat three"] = (null, [Plan("s", version: "1.2.3"), Plan("d", version: "1.2.3.1")], "d", Found),
        ["release integer beats its semver pre-release"] = (null, [Plan("i", version: "2"), Plan("pre", version: "2.0.0-rc.1")], "i", Found),

        // invalid versions
        ["invalid version ranks below every valid one"] = (null, [Plan("bad", version: "latest"), Plan("good", version: "0.0.1")], "good", Found),
        ["missing version ranks below every valid one"] = (null, [Plan("none"), Plan("good", version: "0")], "good", Found),
        ["only invalid versions: still resolved, tie-break decides"] = (null,
            [Plan("x", version: "latest", createdSecond: 2), Plan("y", version: "v2", createdSecond: 1)], "y", Found),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Resolve(string name)
    {
        var (selector, plans, active, reason) = Cases[name];
        var goal = Goal(selector: selector, generation: 4);
        foreach (var order in Orders(plans))
        {
            var result = PlanResolver.Resolve(goal, order, Epoch);
            var status = result.Status;
            var orderText = string.Join(",", order.Select(p => p.Name));
            Assert.True(active == status.ActivePlanRef?.Name, $"plan order [{orderText}]: expected active {active ?? "none"}, got {status.ActivePlanRef?.Name ?? "none"} ({status.PlanResolved.Message})");
            Assert.Equal(reason, status.PlanResolved.Reason);
            Assert.Equal(active is null ? GoalPhase.Pending : GoalPhase.Ready, status.Phase);
            Assert.Equal(active is null ? ConditionStatus.False : ConditionStatus.True, status.PlanResolved.Status);
            Assert.Equal(active, result.Selected?.Name);
            if (active is not null) Assert.Equal(new PlanRef(active, "default"), status.ActivePlanRef);
            Assert.Equal(4, status.ObservedGeneration);
            Assert.Equal(4, status.PlanResolved.ObservedGeneration);
        }
    }

    /// <summary>The given order, its reverse and every rotation: the result must not depend on list order.</summary>
    private static IEnumerable<PlanView[]> Orders(PlanView[] plans)
    {
        for (var i = 0; i < Math.Max(1, plans.Length); i++)
        {
            var rotated = plans.Skip(i).Concat(plans.Take(i)).ToArray();
            yield return rotated;
            yield return [.. rotated.Reverse()];
        }
    }

    private static PlanView PlanWithoutCreation(string name, string version)
    {
        var json = PlanJson(name, "g", version: version);
        json["metadata"]!.AsObject().Remove("creationTimestamp");
        return PlanView.Parse(json);
    }
}
