using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>What <see cref="RegisterWorkloadSimulator"/> produced: the history and the truth behind it.</summary>
internal sealed record SimulatedRun(
    int Seed,
    History History,
    IReadOnlyDictionary<string, VersionedValue> FinalState,
    IReadOnlyDictionary<string, int> Applications);
