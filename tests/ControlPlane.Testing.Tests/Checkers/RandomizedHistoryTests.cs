using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>
/// Histories generated from a real sequential store with random concurrency and indeterminate operations must
/// pass every checker; the same histories broken in one place must fail. Each case names its seed.
/// </summary>
public sealed class RandomizedHistoryTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 24; seed++) seeds.Add(seed);
        return seeds;
    }

    private static SimulatedRun Generate(int seed, bool deletes = true) => RegisterWorkloadSimulator.Run(
        seed, keys: 3, clients: 2 + (seed % 7), operations: 300, indeterminateRate: 0.02 * (seed % 4), deletes);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedHistory_PassesEveryChecker(int seed)
    {
        var run = Generate(seed);
        AssertOk(seed, LinearizabilityChecker.Check(run.History));
        AssertOk(seed, ResourceVersionChecker.Check(run.History));
        AssertOk(seed, LostWriteChecker.Check(run.History, run.FinalState));
        AssertOk(seed, ExactlyOnceChecker.Check(run.History, run.Applications, applicationsComplete: true));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedHistory_WithOneReadBroken_IsNotLinearizable(int seed)
    {
        var run = Generate(seed);
        var random = new Random(seed);
        var mutated = (seed % 2 == 0 ? HistoryMutator.StaleRead(run.History, random) : null) ?? HistoryMutator.GhostRead(run.History, random);
        Assert.True(mutated is not null, $"seed {seed}: the generated history has no read to break");
        var (history, mutation) = mutated.Value;
        AssertViolation(seed, mutation, LinearizabilityChecker.Check(history));
        AssertViolation(seed, mutation, LinearizabilityChecker.Check(history, new LinearizabilityOptions { SearchOnly = true }));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedHistory_WithAPresentKeyReadAsAbsent_IsRejectedByTheSearch(int seed)
    {
        var run = Generate(seed, deletes: false);
        var mutated = HistoryMutator.AbsentRead(run.History, new Random(seed));
        Assert.True(mutated is not null, $"seed {seed}: no read of a key that was surely present");
        var (history, mutation) = mutated.Value;
        var result = LinearizabilityChecker.Check(history);
        AssertViolation(seed, mutation, result);
        Assert.DoesNotContain("found without search", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedHistory_WithAResourceVersionRepeated_FailsLinearizabilityAndOrder(int seed)
    {
        var run = Generate(seed);
        var mutated = HistoryMutator.ResourceVersionRegression(run.History, new Random(seed));
        Assert.True(mutated is not null, $"seed {seed}: the generated history has no two ordered writes of one key");
        var (history, mutation) = mutated.Value;
        AssertViolation(seed, mutation, LinearizabilityChecker.Check(history));
        AssertViolation(seed, mutation, LinearizabilityChecker.Check(history, new LinearizabilityOptions { SearchOnly = true }));
        AssertViolation(seed, mutation, ResourceVersionChecker.Check(history));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedHistory_WithAnInventedFinalValue_LosesAWrite(int seed)
    {
        var run = Generate(seed);
        var final = run.FinalState.ToDictionary(StringComparer.Ordinal);
        Assert.True(final.Count > 0, $"seed {seed}: every key ended absent");
        var key = final.Keys.Order(StringComparer.Ordinal).First();
        final[key] = new VersionedValue("ghost", final[key].ResourceVersion);
        var result = LostWriteChecker.Check(run.History, final);
        Assert.True(result.Status == CheckStatus.Violation, $"seed {seed}: expected a violation, got {result.Explanation}");
        Assert.Contains($"key '{key}'", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedHistory_WithARequestAppliedTwice_IsFlagged(int seed)
    {
        var run = Generate(seed);
        var applications = run.Applications.ToDictionary(StringComparer.Ordinal);
        var requestId = applications.Keys.Order(StringComparer.Ordinal).First();
        applications[requestId] = 2;
        var result = ExactlyOnceChecker.Check(run.History, applications);
        Assert.True(result.Status == CheckStatus.Violation, $"seed {seed}: expected a violation, got {result.Explanation}");
        Assert.Contains($"request '{requestId}' was applied 2 times", result.Explanation, StringComparison.Ordinal);
    }

    private static void AssertViolation(int seed, string mutation, CheckResult result) =>
        Assert.True(result.Status == CheckStatus.Violation, $"seed {seed}, {mutation}: expected a violation, got {result.Explanation}");

    private static void AssertOk(int seed, CheckResult result) =>
        Assert.True(result.Ok, $"seed {seed}: {result.Explanation}");
}
