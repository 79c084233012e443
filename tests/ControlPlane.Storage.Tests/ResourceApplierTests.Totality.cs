using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

/// <summary>
/// Apply is total: whatever a command carries, it answers with a result value. An exception would stop every
/// replica at the same entry, and again at every restart.
/// </summary>
public sealed partial class ResourceApplierTests
{
    /// <summary>JSON nested <paramref name="depth"/> levels deep: {"n":{"n":...{}}}.</summary>
    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"n\":", depth - 1)) + "{}" + new string('}', depth - 1);

    /// <summary>A Widget whose "deep" field makes the whole object <paramref name="depth"/> levels deep.</summary>
    private static string DeepWidget(int depth) => Widget("a").ToJsonString()[..^1] + ",\"deep\":" + Nested(depth - 1) + "}";

    [Theory]
    [InlineData(63, null)]
    [InlineData(64, "nested more than 64 levels deep")]
    [InlineData(65, "status is not valid JSON")]
    public void UpdateStatus_DeeplyNested_StoredOrInvalid(int depth, string? error)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Status("a", Nested(depth)));

        if (error is null)
        {
            Assert.Equal(WriteOutcome.StatusUpdated, outcome.Result.Outcome);
            Assert.NotNull(replica.Json("a")["status"]);
        }
        else
        {
            StateAssert.Failed(ErrorCode.Invalid, before, outcome);
            Assert.Contains(error, outcome.Result.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void PutAndPatch_DeeplyNested_StoredUpToTheParseLimit(int depth, bool stored)
    {
        var replica = new Replica();

        var put = replica.Apply(Command(WriteKind.Put, Key("a"), DeepWidget(depth)));
        replica.Apply(Put(Widget("b")));
        var patch = replica.Apply(Patch("b", "{\"spec\":" + Nested(depth - 1) + "}"));

        Assert.Equal(stored, put.Result.Succeeded);
        Assert.Equal(stored, patch.Result.Succeeded);
        Assert.Equal(stored ? ErrorCode.None : ErrorCode.Invalid, put.Result.Error);
        Assert.Equal(stored ? ErrorCode.None : ErrorCode.Invalid, patch.Result.Error);
        if (stored) Assert.Equal(WriteOutcome.NoOp, replica.Apply(Put(replica.Json("a"))).Result.Outcome);
    }

    [Theory]
    [InlineData(-62_135_596_800_000, "0001-01-01T00:00:00Z")]
    [InlineData(-1, "1969-12-31T23:59:59Z")]
    [InlineData(253_402_300_799_999, "9999-12-31T23:59:59Z")]
    public void Put_TimestampAtRangeEnds_CreatedWithThatDate(long time, string expected)
    {
        var replica = new Replica();

        replica.Apply(Put(Widget("a"), time));

        Assert.Equal(expected, replica.Json("a")["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-62_135_596_800_001)]
    [InlineData(253_402_300_800_000)]
    [InlineData(long.MaxValue)]
    public void Put_TimestampOutOfRange_InvalidAndUnchanged(long time)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("b")));
        var before = replica.State;

        var outcome = replica.Apply(Put(Widget("a"), time));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains("timestamp", outcome.Result.Message, StringComparison.Ordinal);
    }
}
