using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.Testing.Watch;

namespace ControlPlane.Testing.Tests.Watch;

public sealed class WatchValidatorTests
{
    private static readonly ObjectKey A = Key("a");
    private static readonly ObjectKey B = Key("b");
    private static readonly WatchFilter All = new("example.com/v1", "Widget");
    private static readonly WatchFilter Gold = All with { Labels = l => l.GetValueOrDefault("tier") == "gold", LabelsDescription = "tier=gold" };

    /// <summary>
    /// 1: a created (gold); 2: b created (silver); 3: a changed; 4: b turns gold; 5: a turns silver; 6: b deleted.
    /// </summary>
    private readonly CommittedHistory _history = new();

    public WatchValidatorTests()
    {
        _history.Add(1, A, V(1, "gold"));
        _history.Add(2, B, V(2, "silver"));
        _history.Add(3, A, V(3, "gold"));
        _history.Add(4, B, V(4, "gold"));
        _history.Add(5, A, V(5, "silver"));
        _history.Add(6, B, null);
    }

    [Fact]
    public void Accepts_UnfilteredStreamFromTheStart()
    {
        var result = Validate(All, 0, [.. CorrectUnfiltered()]);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(6, result.Events);
    }

    [Fact]
    public void Accepts_SelectorStream_EnteringIsAdded_LeavingIsDeletedWithTheNewVersion()
    {
        var result = Validate(Gold, 0,
            Msg(1, Added(A, 1)),
            Msg(3, Modified(A, 3, 1)),
            Msg(4, Added(B, 4)),
            Msg(5, Deleted(A, 5, 3)),
            ObservedMessage.Bookmark(5),
            Msg(6, Deleted(B, 4, 4)));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Accepts_BookmarksAndResumeFromTheLastPosition()
    {
        var recording = new WatchRecording("w", All, 0);
        recording.Record(ObservedMessage.Bookmark(0));
        recording.Record(Msg(1, Added(A, 1)));
        recording.Record(Msg(2, Added(B, 2)));
        recording.Record(ObservedMessage.Bookmark(2));
        recording.Resumed(2);
        recording.Record(ObservedMessage.Bookmark(2));
        foreach (var message in CorrectUnfiltered().Skip(2)) recording.Record(message);
        recording.Record(ObservedMessage.Bookmark(9));

        var result = WatchValidator.Validate(_history, recording);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal((6, 4, 1), (result.Events, result.Bookmarks, result.Resumes));
    }

    [Fact]
    public void Accepts_AStartAfterTheBeginning_AndANameFilter()
    {
        var result = Validate(All with { Name = "a" }, 2, Msg(3, Modified(A, 3, 1)), Msg(5, Modified(A, 5, 3)));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Rejects_AGap()
    {
        var stream = CorrectUnfiltered();
        stream.RemoveAt(2);

        var result = Validate(All, 0, [.. stream]);

        var violation = Assert.Single(result.Violations);
        Assert.Equal((WatchRule.NoGap, 4L), (violation.Rule, violation.ResourceVersion));
        Assert.Contains("Modified Widget default/a@3", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_ADuplicate()
    {
        var stream = CorrectUnfiltered();
        stream.Insert(3, stream[2]);

        var result = Validate(All, 0, [.. stream]);

        Assert.Equal([WatchRule.Unique], result.Violations.Select(v => v.Rule));
    }

    [Fact]
    public void Rejects_OutOfOrder()
    {
        var stream = CorrectUnfiltered();
        (stream[2], stream[3]) = (stream[3], stream[2]);

        var result = Validate(All, 0, [.. stream]);

        Assert.Contains(result.Violations, v => v.Rule == WatchRule.Ordered && v.ResourceVersion == 3);
    }

    [Fact]
    public void Rejects_ABookmarkBeforeItsEvent()
    {
        var stream = CorrectUnfiltered();
        stream.Insert(2, ObservedMessage.Bookmark(3));

        var result = Validate(All, 0, [.. stream]);

        var bookmark = Assert.Single(result.Violations, v => v.Rule == WatchRule.Bookmark);
        Assert.Equal(3, bookmark.ResourceVersion);
        Assert.Contains("before Modified Widget default/a@3", bookmark.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_AWrongEventType()
    {
        var stream = CorrectUnfiltered();
        stream[0] = Msg(1, new ObservedEvent(ObservedEventType.Modified, Obj(A, 1), null));

        var result = Validate(All, 0, [.. stream]);

        Assert.Equal([WatchRule.EventType], result.Violations.Select(v => v.Rule));
    }

    [Fact]
    public void Rejects_LeavingTheSelectorReportedAsModified()
    {
        var result = Validate(Gold, 2, Msg(3, Modified(A, 3, 1)), Msg(4, Added(B, 4)), Msg(5, Modified(A, 5, 3)), Msg(6, Deleted(B, 4, 4)));

        var violation = Assert.Single(result.Violations);
        Assert.Equal((WatchRule.EventType, 5L), (violation.Rule, violation.ResourceVersion));
    }

    [Theory]
    [InlineData(2L)] // the previous object is not a's version before commit 3 (that is 1)
    [InlineData(0L)] // a Modified without its previous object
    public void Rejects_AWrongPreviousObject(long wrongPrevious)
    {
        var stream = CorrectUnfiltered();
        stream[2] = Msg(3, new ObservedEvent(ObservedEventType.Modified, Obj(A, 3), wrongPrevious > 0 ? Obj(A, wrongPrevious) : null));

        var result = Validate(All, 0, [.. stream]);

        Assert.Equal([WatchRule.PreviousObject], result.Violations.Select(v => v.Rule));
    }

    [Fact]
    public void Rejects_AnAddedWithAPreviousObject_AndADeleteCarryingTheWrongVersion()
    {
        var stream = CorrectUnfiltered();
        stream[0] = Msg(1, new ObservedEvent(ObservedEventType.Added, Obj(A, 1), Obj(A, 1)));
        stream[5] = Msg(6, Deleted(B, 2, 4));

        var result = Validate(All, 0, [.. stream]);

        Assert.Equal([(WatchRule.PreviousObject, 1L), (WatchRule.Object, 6L)], result.Violations.Select(v => (v.Rule, v.ResourceVersion)));
    }

    [Fact]
    public void Rejects_AnEventTheFilterDoesNotSelect()
    {
        var result = Validate(Gold, 0, Msg(1, Added(A, 1)), Msg(2, Added(B, 2)), Msg(3, Modified(A, 3, 1)), Msg(4, Added(B, 4)), Msg(5, Deleted(A, 5, 3)), Msg(6, Deleted(B, 4, 4)));

        var violation = Assert.Single(result.Violations);
        Assert.Equal((WatchRule.Unexpected, 2L), (violation.Rule, violation.ResourceVersion));
    }

    [Fact]
    public void Rejects_AResumeFromAnotherPosition()
    {
        var recording = new WatchRecording("w", All, 0);
        foreach (var message in CorrectUnfiltered().Take(3)) recording.Record(message);
        recording.Resumed(2);
        foreach (var message in CorrectUnfiltered().Skip(2)) recording.Record(message);

        var result = WatchValidator.Validate(_history, recording);

        Assert.Equal([(WatchRule.Resume, 2L), (WatchRule.Unique, 3L)], result.Violations.Select(v => (v.Rule, v.ResourceVersion)));
    }

    [Fact]
    public void Rejects_AStreamThatStopsShortOfTheHistory()
    {
        var result = Validate(All, 0, [.. CorrectUnfiltered().Take(4)]);

        var violation = Assert.Single(result.Violations);
        Assert.Equal(WatchRule.Complete, violation.Rule);
        Assert.Contains("at 5", violation.Message, StringComparison.Ordinal);
        Assert.Contains("at 6", violation.Message, StringComparison.Ordinal);
        Assert.True(WatchValidator.Validate(_history, Recording(All, 0, [.. CorrectUnfiltered().Take(4)]), through: 4).IsValid);
    }

    [Fact]
    public void Rejects_ACommitSplitOverTwoMessages()
    {
        var c = Key("c");
        var d = Key("d");
        _history.Add(7, c, V(7, "gold"));
        _history.Add(7, d, V(7, "gold"));
        var stream = CorrectUnfiltered();
        stream.Add(Msg(7, Added(c, 7)));
        stream.Add(Msg(7, Added(d, 7)));

        var result = Validate(All, 0, [.. stream]);

        // Each half lacks the other half; the second also repeats the commit's position.
        Assert.Equal([WatchRule.Atomic, WatchRule.Unique, WatchRule.Atomic], result.Violations.Select(v => v.Rule));
        Assert.True(Validate(All, 6, new ObservedMessage(7, false, [Added(c, 7), Added(d, 7)])).IsValid);
    }

    [Fact]
    public void Rejects_AnEventNoCommitHas()
    {
        var stream = CorrectUnfiltered();
        stream.Add(Msg(8, Added(Key("ghost"), 8)));

        var result = Validate(All, 0, [.. stream]);

        Assert.Equal([WatchRule.Unexpected], result.Violations.Select(v => v.Rule));
    }

    [Fact]
    public void History_RefusesAnInconsistentModel()
    {
        var history = new CommittedHistory();
        history.Add(3, A, V(3, "gold"));

        Assert.Throws<ArgumentException>(() => history.Add(2, B, V(2, "gold")));
        Assert.Throws<ArgumentException>(() => history.Add(4, B, null));
        Assert.Throws<ArgumentException>(() => history.Add(5, A, V(4, "gold")));
    }

    [Fact]
    public void History_FromAnUnfilteredWatch_ValidatesTheSameStreams()
    {
        var history = CommittedHistory.FromUnfilteredWatch(0, CorrectUnfiltered());

        Assert.Equal(_history.Changes, history.Changes);
    }

    [Fact]
    public void ObservedMessage_FromAnSdkBatch_ReadsKeysVersionsAndLabels()
    {
        var obj = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a","namespace":"default","resourceVersion":"3","labels":{"tier":"gold"}}}""")!.AsObject();
        var previous = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a","namespace":"default","resourceVersion":"1"}}""")!.AsObject();

        var message = ObservedMessage.FromBatch(new WatchEventBatch("3", [new WatchEvent(WatchEventType.Modified, obj, previous)], false, "http://127.0.0.1:1"));

        var e = Assert.Single(message.Events);
        Assert.Equal((3L, ObservedEventType.Modified, A, 3L, 1L), (message.ResourceVersion, e.Type, e.Object.Key, e.Object.ResourceVersion, e.Previous!.ResourceVersion));
        Assert.Equal("gold", e.Object.Version.Labels["tier"]);
    }

    private List<ObservedMessage> CorrectUnfiltered() =>
    [
        Msg(1, Added(A, 1)),
        Msg(2, Added(B, 2)),
        Msg(3, Modified(A, 3, 1)),
        Msg(4, Modified(B, 4, 2)),
        Msg(5, Modified(A, 5, 3)),
        Msg(6, Deleted(B, 4, 4)),
    ];

    private WatchValidationResult Validate(WatchFilter filter, long start, params ObservedMessage[] messages) =>
        WatchValidator.Validate(_history, Recording(filter, start, messages));

    private static WatchRecording Recording(WatchFilter filter, long start, params ObservedMessage[] messages)
    {
        var recording = new WatchRecording("w", filter, start);
        foreach (var message in messages) recording.Record(message);
        return recording;
    }

    private static ObjectKey Key(string name) => new("example.com/v1", "Widget", "default", name);

    private static ObjectVersion V(long rv, string tier) => new(rv, new Dictionary<string, string> { ["tier"] = tier });

    private ObservedObject Obj(ObjectKey key, long rv)
    {
        var labels = _history.Changes.Select(c => c.After).FirstOrDefault(v => v?.ResourceVersion == rv)?.Labels ?? ObjectVersion.NoLabels;
        return new ObservedObject(key, new ObjectVersion(rv, labels));
    }

    private ObservedEvent Added(ObjectKey key, long rv) => new(ObservedEventType.Added, Obj(key, rv), null);

    private ObservedEvent Modified(ObjectKey key, long rv, long previous) => new(ObservedEventType.Modified, Obj(key, rv), Obj(key, previous));

    private ObservedEvent Deleted(ObjectKey key, long rv, long previous) => new(ObservedEventType.Deleted, Obj(key, rv), Obj(key, previous));

    private static ObservedMessage Msg(long rv, params ObservedEvent[] events) => new(rv, false, events);
}
