using Xunit.Sdk;

namespace ControlPlane.Storage.Tests;

/// <summary>
/// P10 at the state-machine level: a replica that is snapshotted and restored at random points keeps giving the
/// same answers and the same state as one that never was.
/// </summary>
public sealed class ReplicaConvergenceTests
{
    private const int Steps = 600;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20260101)]
    public void RandomCommands_SnapshotRestoreAtRandomPoints_RestoredReplicaContinuesIdentically(int seed) => Run(seed);

    /// <summary>A fresh seed on every run (or STORAGE_TEST_SEED to repeat one), printed on failure.</summary>
    [Fact]
    public void RandomCommands_FreshSeed_RestoredReplicaContinuesIdentically()
    {
        var fixedSeed = Environment.GetEnvironmentVariable("STORAGE_TEST_SEED");
        Run(fixedSeed is null ? Random.Shared.Next() : int.Parse(fixedSeed, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Run(int seed)
    {
        var commands = new RandomCommands(seed);
        var schedule = new Random(~seed);
        var original = new Replica();
        var restored = new Replica();
        var restores = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var step = 1; step <= Steps; step++)
        {
            var command = commands.Next(original.State);
            var expected = original.Apply(command);
            var actual = restored.Apply(command);
            seen.Add(expected.Result.Replayed ? "Replayed" : expected.Result.Succeeded ? expected.Result.Outcome.ToString() : expected.Result.Error.ToString());

            WithSeed(seed, step, command, () =>
            {
                Assert.Equal(expected.Result with { Object = null }, actual.Result with { Object = null });
                Assert.Equal(expected.Result.Object?.Json, actual.Result.Object?.Json);
                Assert.Equal(expected.Change is null, actual.Change is null);
                Assert.Equal(expected.State.Hash, actual.State.Hash);
                AssertHashAndCountMatchObjects(actual.State);
                if (schedule.Next(100) < 5)
                {
                    var before = restored.State;
                    restored = Replica.Restore(restored.Snapshot());
                    restores++;
                    StateAssert.Equivalent(before, restored.State);
                }
            });
        }

        WithSeed(seed, Steps, null, () =>
        {
            StateAssert.Equivalent(original.State, restored.State);
            Assert.Equal(original.Snapshot(), restored.Snapshot());
            Assert.True(restores > 0, "the schedule should have restored at least once");
            string[] required = ["Created", "Replaced", "Patched", "StatusUpdated", "Deleted", "NoOp", "Replayed", "NotFound", "AlreadyExists", "Conflict", "Invalid"];
            Assert.True(required.All(seen.Contains), $"the sequence should exercise {string.Join(", ", required)}; it gave {string.Join(", ", seen.Order(StringComparer.Ordinal))}");
        });
    }

    /// <summary>
    /// The incremental hash and count agree with a recomputation over every stored object: each share hashed again from
    /// the object's bytes (<see cref="StateHash.Compute"/>), not the share the object keeps.
    /// </summary>
    private static void AssertHashAndCountMatchObjects(StoreState state)
    {
        ulong sum = 0;
        long count = 0;
        foreach (var objects in state.Kinds.Values)
        {
            Assert.NotEmpty(objects);
            foreach (var resource in objects.Values)
            {
                sum = unchecked(sum + StateHash.Compute(resource));
                count++;
            }
        }

        Assert.Equal(new StateHash(sum), state.Hash);
        Assert.Equal(count, state.ObjectCount);
    }

    private static void WithSeed(int seed, int step, ResourceCommand? command, Action check)
    {
        try
        {
            check();
        }
        catch (XunitException e)
        {
            var what = command is null ? "at the end" : $"at step {step} ({command.Kind} {command.Key.Name}, request id '{command.RequestId}')";
            throw new XunitException($"seed {seed} {what}: {e.Message}");
        }
    }
}
