using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>
/// A resolver workload in one namespace: <c>goals</c> Goals, each with <c>plansPerGoal</c> Plans of versions 1.0.0 up to
/// plansPerGoal.0.0 (so the best is the last), all labelled fleet=yes. <see cref="ChangeAsync"/> then gives a quarter of the
/// Goals a better Plan and another quarter a new spec (a selector that still matches every Plan), so their expected
/// status moves to a new Plan or a new generation. <see cref="Expected"/> is what each Goal's status must end as.
/// </summary>
internal sealed class GoalFleet(string @namespace, int goals, int plansPerGoal)
{
    public const string ApiVersion = "planning.controlplane.dev/v1";
    private const int Parallelism = 16;

    private readonly Dictionary<string, GoalExpectation> _expected = Enumerable.Range(0, goals)
        .ToDictionary(GoalName, i => new GoalExpectation(1, PlanName(i, plansPerGoal)), StringComparer.Ordinal);

    public string Namespace { get; } = @namespace;

    public int Goals { get; } = goals;

    public IReadOnlyDictionary<string, GoalExpectation> Expected => _expected;

    public static string GoalName(int goal) => "goal-" + goal.ToString("D3", CultureInfo.InvariantCulture);

    public static string PlanName(int goal, int version) => $"{GoalName(goal)}-v{version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Creates every Plan, then every Goal (so no Goal is ever resolved without its Plans: never Pending).</summary>
    public async Task CreateAsync(ControlPlaneClient client, CancellationToken cancellationToken)
    {
        var plans = Enumerable.Range(0, Goals).SelectMany(g => Enumerable.Range(1, plansPerGoal).Select(v => (g, v)));
        await Parallel.ForEachAsync(plans, Options(cancellationToken), async (p, ct) => await client.CreateAsync(Plan(p.g, p.v), cancellationToken: ct));
        await Parallel.ForEachAsync(Enumerable.Range(0, Goals), Options(cancellationToken), async (g, ct) => await client.CreateAsync(Goal(g), cancellationToken: ct));
    }

    /// <summary>
    /// Goals 0 .. n/4-1 get a Plan one version better; goals n/4 .. n/2-1 get spec.planSelector with a matchExpressions
    /// entry (fleet Exists) that still selects all their Plans, so only their generation moves.
    /// </summary>
    public async Task ChangeAsync(ControlPlaneClient client, CancellationToken cancellationToken)
    {
        var quarter = Goals / 4;
        var better = Parallel.ForEachAsync(Enumerable.Range(0, quarter), Options(cancellationToken), async (g, ct) =>
        {
            await client.CreateAsync(Plan(g, plansPerGoal + 1), cancellationToken: ct);
        });
        var selector = JsonNode.Parse("""{"spec":{"planSelector":{"matchExpressions":[{"key":"fleet","operator":"Exists"}]}}}""")!.AsObject();
        var respec = Parallel.ForEachAsync(Enumerable.Range(quarter, quarter), Options(cancellationToken), async (g, ct) =>
        {
            await client.PatchAsync(new ObjectReference(ApiVersion, "Goal", Namespace, GoalName(g)), (JsonObject)selector.DeepClone(), cancellationToken: ct);
        });
        await Task.WhenAll(better, respec);
        for (var g = 0; g < quarter; g++) _expected[GoalName(g)] = new GoalExpectation(1, PlanName(g, plansPerGoal + 1));
        for (var g = quarter; g < 2 * quarter; g++) _expected[GoalName(g)] = new GoalExpectation(2, PlanName(g, plansPerGoal));
    }

    /// <summary>How many Goals of <paramref name="list"/> have a status naming the Plan and generation they must end with.</summary>
    public int CountSettled(ResourceList list) =>
        list.Items.Count(goal =>
            _expected.TryGetValue(GoalStatusWrite.Name(goal), out var expected)
            && GoalStatusWrite.TryRead(goal, out var write)
            && write.Matches(expected));

    /// <summary>A Plan of no Goal of the fleet: writing it changes no Goal's resolution.</summary>
    public JsonObject StrayPlan(string name) => Plan(name, "nobody", 1);

    private JsonObject Plan(int goal, int version) => Plan(PlanName(goal, version), GoalName(goal), version);

    private JsonObject Plan(string name, string goal, int version) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "Plan",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["fleet"] = "yes" } },
        ["spec"] = new JsonObject
        {
            ["goalRef"] = new JsonObject { ["name"] = goal },
            ["series"] = "stable",
            ["version"] = $"{version.ToString(CultureInfo.InvariantCulture)}.0.0",
        },
    };

    private JsonObject Goal(int goal) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "Goal",
        ["metadata"] = new JsonObject { ["name"] = GoalName(goal), ["namespace"] = Namespace },
        ["spec"] = new JsonObject(),
    };

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
}
