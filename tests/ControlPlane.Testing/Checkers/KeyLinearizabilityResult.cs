namespace ControlPlane.Testing.Checkers;

/// <summary>The verdict for one key, with the search's effort and, when linearizable, one valid order.</summary>
public sealed record KeyLinearizabilityResult(
    string Key,
    CheckStatus Status,
    int OperationCount,
    int Configurations,
    TimeSpan Elapsed,
    string Explanation,
    IReadOnlyList<long>? Linearization);
