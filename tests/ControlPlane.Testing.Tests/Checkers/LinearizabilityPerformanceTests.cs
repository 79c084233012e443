using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>
/// The search must decide realistic single-key histories within its own budget; no wall-clock assertion beyond
/// that budget (the machine is shared).
/// </summary>
public sealed class LinearizabilityPerformanceTests
{
    [Fact]
    public void TwoThousandOperations_OnOneKey_AtConcurrencyEight_AreDecided()
    {
        const int Seed = 20;
        var run = RegisterWorkloadSimulator.Run(Seed, keys: 1, clients: 8, operations: 2000, indeterminateRate: 0.01);
        var result = LinearizabilityChecker.CheckKey(run.History, "key-0");
        Assert.True(result.Status == CheckStatus.Ok, $"seed {Seed}: {result.Explanation}");
        Assert.True(result.OperationCount > 1900, $"seed {Seed}: only {result.OperationCount} operations took part");
    }

    [Fact]
    public void TwoThousandOperations_WithAStaleRead_AreDecidedAsAViolation()
    {
        const int Seed = 21;
        var run = RegisterWorkloadSimulator.Run(Seed, keys: 1, clients: 8, operations: 2000, indeterminateRate: 0);
        var mutated = HistoryMutator.StaleRead(run.History, new Random(Seed));
        Assert.True(mutated is not null, $"seed {Seed}: no read to break");
        var result = LinearizabilityChecker.CheckKey(mutated.Value.History, "key-0");
        Assert.True(result.Status == CheckStatus.Violation, $"seed {Seed}, {mutated.Value.Mutation}: {result.Explanation}");
    }
}
