using System.Diagnostics;
using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.Samples.Goals;

/// <summary>
/// The walk-through: apply the manifests, wait for the resolver to write every Goal's status and print it, then make
/// four changes (bump a version, delete the active Plan, change a Goal's selector, relabel a Plan) and print the Goal
/// each one re-resolves. Every wait is bounded by <c>timeout</c>.
/// </summary>
public sealed class GoalsWalkthrough(ControlPlaneClient client, string manifests, TimeSpan timeout)
{
    private const string ApiVersion = "planning.controlplane.dev/v1";
    private const string Namespace = "demo";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"cluster: {string.Join(", ", client.Endpoints)}");
        var plans = ManifestReader.ReadFile(Path.Combine(manifests, "plans.yaml"));
        var goals = ManifestReader.ReadFile(Path.Combine(manifests, "goals.yaml"));
        Step("1. Apply the Plans, then the Goals, and wait for the resolver");
        foreach (var obj in plans.Concat(goals))
        {
            var result = await client.ApplyAsync(obj, cancellationToken: cancellationToken);
            Console.WriteLine($"  {result.Outcome,-8} {obj["kind"]} {Namespace}/{obj["metadata"]!["name"]} at resourceVersion {result.ResourceVersion}");
        }

        Console.WriteLine();
        Console.WriteLine("  " + GoalSummary.Header);
        foreach (var goal in goals)
        {
            var name = goal["metadata"]!["name"]!.GetValue<string>();
            Console.WriteLine("  " + await WaitForAsync(name, null, cancellationToken));
        }

        await ChangeAsync(
            "2. Bump a version: web-1-10 becomes 2.0.0, which outranks 2.0.0-rc.1 (a pre-release ranks below its release)",
            "web",
            () => client.PatchAsync(Plan("web-1-10"), Json("""{"spec":{"version":"2.0.0"}}"""), cancellationToken: cancellationToken),
            cancellationToken);
        await ChangeAsync(
            "3. Delete the active Plan web-1-10: web falls back to the best Plan left",
            "web",
            () => client.DeleteAsync(Plan("web-1-10"), cancellationToken: cancellationToken),
            cancellationToken);
        await ChangeAsync(
            "4. Change db's selector to `tier DoesNotExist`: a new generation, and observedGeneration follows",
            "db",
            () => client.PatchAsync(new ObjectReference(ApiVersion, "Goal", Namespace, "db"), Json("""{"spec":{"planSelector":{"matchExpressions":[{"key":"tier","operator":"DoesNotExist"}]}}}"""), cancellationToken: cancellationToken),
            cancellationToken);
        await ChangeAsync(
            "5. Relabel api-v9 tier=gold: api's selector now takes it, and 9 beats the head of the supersedes chain (3)",
            "api",
            () => client.PatchAsync(Plan("api-v9"), Json("""{"metadata":{"labels":{"tier":"gold"}}}"""), cancellationToken: cancellationToken),
            cancellationToken);
    }

    private async Task ChangeAsync(string title, string goal, Func<Task<WriteResult>> change, CancellationToken cancellationToken)
    {
        Step(title);
        var before = await WaitForAsync(goal, null, cancellationToken);
        var result = await change();
        Console.WriteLine($"  {result.Outcome} at resourceVersion {result.ResourceVersion}");
        Console.WriteLine("  " + GoalSummary.Header);
        Console.WriteLine("  " + before);
        Console.WriteLine("  " + await WaitForAsync(goal, before, cancellationToken));
    }

    /// <summary>Polls the Goal until its status describes its current generation and differs from <paramref name="before"/>.</summary>
    private async Task<GoalSummary> WaitForAsync(string goal, GoalSummary? before, CancellationToken cancellationToken)
    {
        var reference = new ObjectReference(ApiVersion, "Goal", Namespace, goal);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var summary = GoalSummary.From((await client.GetAsync(reference.ApiVersion, reference.Kind, reference.Namespace, reference.Name, cancellationToken: cancellationToken)).Object);
            if (summary.IsCurrent && summary != before) return summary;
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Goal {Namespace}/{goal}: no new status for its generation {summary.Generation} within {timeout.TotalSeconds} s (is the resolver running? last seen: {summary})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static ObjectReference Plan(string name) => new(ApiVersion, "Plan", Namespace, name);

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static void Step(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }
}
