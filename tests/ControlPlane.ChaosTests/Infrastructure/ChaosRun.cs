using System.Globalization;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// One chaos scenario against a group: a seed for its randomness, notes in the group's timeline, and on failure a
/// results folder with the history, every container's log, the seed and any attached files (a checker's history).
/// <code>
/// await ChaosRun.ExecuteAsync(cluster, output, async run =>
/// {
///     run.Record("writes start");
///     await cluster.KillAsync(leader);
/// });
/// </code>
/// </summary>
public sealed class ChaosRun
{
    private readonly ContainerGroup _group;
    private readonly Dictionary<string, string> _attachments = [];

    private ChaosRun(ContainerGroup group, string testName, int seed)
    {
        _group = group;
        TestName = testName;
        Seed = seed;
        Random = new Random(seed);
    }

    public string TestName { get; }

    /// <summary>CHAOS_SEED when set, else random; printed with every run and kept on failure.</summary>
    public int Seed { get; }

    /// <summary>The only randomness a scenario should use, so a failing run can be replayed.</summary>
    public Random Random { get; }

    /// <summary>Adds a line to the group's timeline, between the faults it applies.</summary>
    public void Record(string entry) => _group.Timeline.Add($"[{TestName}] {entry}");

    /// <summary>A file to keep if the scenario fails (for example a recorded operation history).</summary>
    public void Attach(string fileName, string content) => _attachments[fileName] = content;

    /// <summary>
    /// Runs <paramref name="scenario"/>. If it throws, keeps the evidence and rethrows as a
    /// <see cref="ChaosScenarioFailedException"/> whose message names the results folder and the seed.
    /// </summary>
    public static async Task ExecuteAsync(
        ContainerGroup group,
        ITestOutputHelper output,
        Func<ChaosRun, Task> scenario,
        int? seed = null,
        [CallerMemberName] string testName = "")
    {
        var run = new ChaosRun(group, testName, seed ?? SeedFromEnvironment() ?? Random.Shared.Next());
        output.WriteLine($"seed {run.Seed} (rerun with CHAOS_SEED={run.Seed})");
        var mark = group.Timeline.Count;
        run.Record($"begin, seed {run.Seed}");
        try
        {
            await scenario(run);
            run.Record("end");
        }
        catch (Exception e)
        {
            run.Record($"failed: {e.GetType().Name}: {e.Message}");
            var folder = await group.SaveFailureArtifactsAsync(testName, mark, e, run.Seed, run._attachments);
            output.WriteLine($"history, logs and seed kept in {folder}");
            throw new ChaosScenarioFailedException(
                $"{testName} failed (seed {run.Seed}); history, logs and seed kept in {folder}: {e.Message}", folder, e);
        }
        finally
        {
            foreach (var line in group.Timeline.Since(mark))
            {
                output.WriteLine(line);
            }
        }
    }

    private static int? SeedFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("CHAOS_SEED");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"CHAOS_SEED must be a 32-bit integer, got '{text}'.");
    }
}
