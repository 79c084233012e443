using ControlPlane.Storage.Apply;
using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    private const string Head = "\"apiVersion\":\"example.io/v1\",\"kind\":\"Widget\"";

    /// <summary>An object with the given top-level head and extra metadata fields after name and namespace.</summary>
    private static string Object(string head = Head, string metadata = "") =>
        "{" + head + ",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\"" + metadata + "}}";

    public static TheoryData<string, string> InvalidObjects() => new()
    {
        { "", "object is empty" },
        { "{\"apiVersion\":", "object is not valid JSON" },
        { "[1,2]", "must be a JSON object, got an array" },
        { "\"text\"", "must be a JSON object, got a string" },
        { "null", "must be a JSON object, got null" },
        { Object("\"kind\":\"Widget\""), "apiVersion is required" },
        { Object("\"apiVersion\":\"example.io/v1\""), "kind is required" },
        { Object("\"apiVersion\":\"Example.io/v1\",\"kind\":\"Widget\""), "apiVersion \"Example.io/v1\"" },
        { Object("\"apiVersion\":\"example.io/v1\",\"kind\":\"Wid-get\""), "kind \"Wid-get\"" },
        { """{"apiVersion":"example.io/v1","kind":"Widget"}""", "metadata is required" },
        { """{"apiVersion":"example.io/v1","kind":"Widget","metadata":[]}""", "metadata must be a JSON object" },
        { """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"namespace":"default"}}""", "metadata.name is required" },
        { """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"A","namespace":"default"}}""", "metadata.name \"A\"" },
        { Object(metadata: ""","labels":{"-x":"y"}"""), "metadata.labels key \"-x\"" },
        { Object(metadata: ""","labels":{"x":"y z"}"""), "metadata.labels[\"x\"] value" },
        { Object(metadata: ""","annotations":{"x":1}"""), "metadata.annotations[\"x\"] must be a string" },
        { Object(metadata: ",\"resourceVersion\":\"abc\""), "metadata.resourceVersion \"abc\"" },
        { Object(metadata: ""","generation":1.5"""), "metadata.generation must be a non-negative integer" },
        { Object(metadata: ""","finalizers":[]"""), "metadata.finalizers is not a known field" },

        // The API refuses these before they are proposed; apply must still answer rather than throw.
        { Object(metadata: ""","annotations":{"x":"\ud800"}"""), "undecodable string" },
        { Object(metadata: ""","labels":{"\udc00":"y"}"""), "object has an undecodable member name" },
        { Object()[..^1] + ""","spec":{"n":1e99999999999}}""", "object has a number with an exponent beyond" },
    };

    /// <summary>Tokens a parser lets through and a later step cannot read, in the body of each kind of write.</summary>
    public static TheoryData<WriteKind, string, string> UnreadableTokens() => new()
    {
        { WriteKind.Put, Object()[..^1] + ""","spec":{"s":"\ud800"}}""", "object has an undecodable string" },
        { WriteKind.Patch, """{"spec":{"s":"\ud800"}}""", "merge patch has an undecodable string" },
        { WriteKind.UpdateStatus, """{"s":"\ud800"}""", "status has an undecodable string" },
        { WriteKind.Patch, """{"spec":{"\udc00":1}}""", "merge patch has an undecodable member name" },
        { WriteKind.UpdateStatus, """{"\udc00":1}""", "status has an undecodable member name" },
        { WriteKind.Patch, """{"spec":{"n":-2.5E+1000000000}}""", "merge patch has a number with an exponent beyond ±999,999,999" },
        { WriteKind.UpdateStatus, """{"n":1e-99999999999}""", "status has a number with an exponent beyond ±999,999,999" },
    };

    [Theory]
    [MemberData(nameof(UnreadableTokens))]
    public void AnyWrite_TokenNoLaterStepCanRead_InvalidAndStateUnchanged(WriteKind kind, string body, string expected)
    {
        var replica = new Replica();
        // The stored object has values at the same paths, so a comparison would have to read both sides.
        replica.ApplyAll(Put(Widget("a", spec: """{"s":"x","n":1}""")), Status("a", """{"s":"x","n":1}"""));
        var before = replica.State;

        var outcome = replica.Apply(Command(kind, Key("a"), body));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains(expected, outcome.Result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Put_InvalidObject_InvalidNamingTheProblemAndStateUnchanged(string body, string expected)
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a", labels: """{"app":"web"}""")), Put(Widget("b")), Status("a", """{"ready":true}"""));
        var before = replica.State;
        var json = replica.Get("a").Json;

        var outcome = replica.Apply(Command(WriteKind.Put, Key("a"), body));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains(expected, outcome.Result.Message, StringComparison.Ordinal);
        Assert.Equal(json, replica.Get("a").Json);
        Assert.Equal(4, replica.State.AppliedIndex);
    }

    public static TheoryData<WriteKind, string> DuplicateProperties() => new()
    {
        { WriteKind.Put, """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"a","namespace":"default"},"spec":{},"spec":{"x":1}}""" },
        { WriteKind.Put, """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"a","namespace":"default","labels":{"k":"1","k":"2"}}}""" },
        { WriteKind.Patch, """{"spec":{"x":1,"x":2}}""" },
        { WriteKind.Patch, """{"metadata":{},"metadata":{}}""" },
        { WriteKind.UpdateStatus, """{"ready":true,"ready":false}""" },
        { WriteKind.UpdateStatus, """{"conditions":[{"type":"A","type":"B"}]}""" },
    };

    /// <summary>A property named twice cannot be held by a JSON object; it once made apply throw on every replica.</summary>
    [Theory]
    [MemberData(nameof(DuplicateProperties))]
    public void AnyWrite_DuplicatePropertyName_InvalidAndUnchanged(WriteKind kind, string body)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Command(kind, Key("a"), body));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains("not valid JSON", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnknownCommandKind_InvalidAndUnchanged()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Put(Widget("a")) with { Kind = (WriteKind)99 });

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains("unknown command kind", outcome.Result.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Earlier versions stored such numbers (the comparison that cannot read them ran only on a replace); every later
    /// write of the object must still be answered, on every kind of command.
    /// </summary>
    [Fact]
    public void StoredNumberNoComparisonCanRead_LaterWritesStillApply()
    {
        const string stored = """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"a","namespace":"default","uid":"u","resourceVersion":"1","generation":1,"creationTimestamp":"2023-11-14T22:13:20Z"},"spec":{"n":1e99999999999},"status":{"n":1e99999999999}}""";
        var resource = new StoredResource(Key("a"), "u", 1, 1, T0, System.Collections.Frozen.FrozenDictionary<string, string>.Empty, System.Text.Encoding.UTF8.GetBytes(stored));
        var state = StoreState.Empty.WithObject(Key("a"), null, resource) with { AppliedIndex = 1 };

        var status = ResourceApplier.Apply(state, 2, Status("a", """{"n":2}"""));
        var patch = ResourceApplier.Apply(status.State, 3, Patch("a", """{"metadata":{"labels":{"x":"y"}}}"""));
        var replace = ResourceApplier.Apply(patch.State, 4, Put(Widget("a", spec: """{"n":1}""")));

        Assert.Equal(WriteOutcome.StatusUpdated, status.Result.Outcome);
        Assert.Equal(1, status.State.Find(Key("a"))!.Generation);
        Assert.Equal(WriteOutcome.Patched, patch.Result.Outcome);
        Assert.Equal(1, patch.State.Find(Key("a"))!.Generation);
        Assert.Equal(WriteOutcome.Replaced, replace.Result.Outcome);
        Assert.Equal(2, replace.State.Find(Key("a"))!.Generation);
    }
}
