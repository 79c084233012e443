namespace ControlPlane.Testing.Checkers;

/// <summary>Limits of the linearizability search, per key.</summary>
public sealed record LinearizabilityOptions
{
    public static LinearizabilityOptions Default { get; } = new();

    /// <summary>Wall-clock time one key's search may take before the verdict is <see cref="CheckStatus.Unknown"/>.</summary>
    public TimeSpan TimeBudgetPerKey { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Configurations one key's search may remember (memory is about 100 bytes plus n/8 bytes each) before the verdict is Unknown.</summary>
    public int MaxConfigurationsPerKey { get; init; } = 2_000_000;

    /// <summary>Tests only: go straight to the search, so that its own verdicts and explanations are exercised.</summary>
    internal bool SearchOnly { get; init; }
}
