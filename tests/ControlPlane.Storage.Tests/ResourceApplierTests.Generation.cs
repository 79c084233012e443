using ControlPlane.Storage.Apply;
using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    public static TheoryData<string, long> GenerationCases() => new()
    {
        // A change to anything outside metadata and status bumps generation.
        { """{"spec":{"replicas":2}}""", 2 },
        { """{"spec":{"replicas":null}}""", 2 },
        { """{"spec":null}""", 2 },
        { """{"data":{"k":"v"}}""", 2 },
        // Metadata-only changes do not.
        { """{"metadata":{"labels":{"app":"web"}}}""", 1 },
        { """{"metadata":{"annotations":{"note":"hello"}}}""", 1 },
    };

    [Theory]
    [MemberData(nameof(GenerationCases))]
    public void Patch_GenerationFollowsChangesOutsideMetadataAndStatus(string patch, long expectedGeneration)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));

        var outcome = replica.Apply(Patch("a", patch));

        Assert.Equal(expectedGeneration, replica.Get("a").Generation);
        Assert.Equal(expectedGeneration, replica.Json("a")["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(2, replica.Get("a").ResourceVersion);
        Assert.NotNull(outcome.Change);
    }

    [Fact]
    public void Put_LabelsOnlyChange_RvBumpedGenerationKept()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));

        var outcome = replica.Apply(Put(Widget("a", labels: """{"app":"web"}""")));

        Assert.Equal(WriteOutcome.Replaced, outcome.Result.Outcome);
        Assert.Equal(2, replica.Get("a").ResourceVersion);
        Assert.Equal(1, replica.Get("a").Generation);
        Assert.Equal("web", replica.Get("a").Labels["app"]);
    }

    [Fact]
    public void Put_SpecChangesRepeatedly_GenerationCountsThem()
    {
        var replica = new Replica();
        for (var i = 1; i <= 4; i++) replica.Apply(Put(Widget("a", spec: $$"""{"replicas":{{i}}}""")));

        Assert.Equal(4, replica.Get("a").Generation);
    }

    [Fact]
    public void UpdateStatus_AfterSpecChanges_NeverBumpsGeneration()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Patch("a", """{"spec":{"replicas":2}}"""));

        for (var i = 0; i < 3; i++) replica.Apply(Status("a", $$"""{"n":{{i}}}"""));

        Assert.Equal(2, replica.Get("a").Generation);
        Assert.Equal(5, replica.Get("a").ResourceVersion);
    }

    [Fact]
    public void Put_ClientSentServerMetadata_Overwritten()
    {
        var body = Widget("a");
        var metadata = body["metadata"]!;
        metadata["uid"] = "client-uid";
        metadata["resourceVersion"] = "999";
        metadata["generation"] = 77;
        metadata["creationTimestamp"] = "1999-01-01T00:00:00Z";
        var replica = new Replica();

        var command = Put(body);
        replica.Apply(command);

        var stored = replica.Get("a");
        Assert.Equal(command.Uid, stored.Uid);
        Assert.Equal(1, stored.ResourceVersion);
        Assert.Equal(1, stored.Generation);
        Assert.Equal(T0, stored.CreationTimestampMs);
        var json = replica.Json("a")["metadata"]!;
        Assert.Equal(command.Uid, json["uid"]!.GetValue<string>());
        Assert.Equal("1", json["resourceVersion"]!.GetValue<string>());
        Assert.Equal(1, json["generation"]!.GetValue<long>());
        Assert.Equal(ResourceApplier.FormatTimestamp(T0), json["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void Put_Replace_UidAndCreationTimestampSurvive()
    {
        var replica = new Replica();
        var create = Put(Widget("a"));
        replica.Apply(create);
        var body = Widget("a", spec: """{"replicas":2}""");
        body["metadata"]!["uid"] = "client-uid";
        body["metadata"]!["creationTimestamp"] = "1999-01-01T00:00:00Z";

        replica.Apply(Put(body, time: T0 + 3_600_000));
        replica.Apply(Patch("a", """{"metadata":{"uid":"patched","creationTimestamp":"2000-01-01T00:00:00Z"},"spec":{"replicas":3}}""", time: T0 + 7_200_000));

        var stored = replica.Get("a");
        Assert.Equal(3, stored.Generation);
        Assert.Equal(create.Uid, stored.Uid);
        Assert.Equal(T0, stored.CreationTimestampMs);
        Assert.Equal(create.Uid, replica.Json("a")["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(ResourceApplier.FormatTimestamp(T0), replica.Json("a")["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void Put_OverSizeLimit_InvalidNamingSizeAndLimit()
    {
        var body = Widget("a", spec: $$"""{"blob":"{{new string('x', 400)}}"}""");
        var size = new Replica().Apply(Put(body)).Result.Object!.Json.Length;
        var replica = new Replica();
        replica.Apply(Put(Widget("b")));
        var before = replica.State;

        var outcome = replica.Apply(Put(body) with { MaxObjectBytes = size - 1 });

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains($"{size} bytes", outcome.Result.Message, StringComparison.Ordinal);
        Assert.Contains($"limit of {size - 1} bytes", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Put_ExactlyAtSizeLimit_Created()
    {
        var body = Widget("a", spec: $$"""{"blob":"{{new string('x', 400)}}"}""");
        var size = new Replica().Apply(Put(body)).Result.Object!.Json.Length;

        var outcome = new Replica().Apply(Put(body) with { MaxObjectBytes = size });

        Assert.Equal(WriteOutcome.Created, outcome.Result.Outcome);
    }

    public static TheoryData<string> Growers() => new()
    {
        """{"spec":{"blob":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""",
        """{"metadata":{"annotations":{"note":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}}""",
    };

    [Theory]
    [MemberData(nameof(Growers))]
    public void Patch_GrowsOverSizeLimit_InvalidAndUnchanged(string patch)
    {
        var replica = new Replica();
        var size = replica.Apply(Put(Widget("a"))).Result.Object!.Json.Length;
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", patch) with { MaxObjectBytes = size + 50 });

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains($"limit of {size + 50} bytes", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateStatus_GrowsOverSizeLimit_InvalidAndUnchanged()
    {
        var replica = new Replica();
        var size = replica.Apply(Put(Widget("a"))).Result.Object!.Json.Length;
        var before = replica.State;

        var outcome = replica.Apply(Status("a", $$"""{"log":"{{new string('y', 100)}}"}""") with { MaxObjectBytes = size + 50 });

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
    }
}
