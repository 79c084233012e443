namespace ControlPlane.Storage.Tests;

/// <summary>
/// The request table answers exactly for its window (the last <see cref="StoreState.MaxRequestRecords"/> records not
/// yet expired), across the points where its index changes generation.
/// </summary>
public sealed class RequestTableTests
{
    private const int Max = StoreState.MaxRequestRecords;

    private static RequestRecord Record(string id, long time = TestCommands.T0) =>
        new(id, time, TestCommands.Key("a"), WriteOutcome.Deleted, ErrorCode.None, string.Empty, 1);

    /// <summary>Adds records "r-0".."r-(count-1)", forgetting the oldest beyond <see cref="Max"/> as apply does.</summary>
    private static RequestTable Fill(int count)
    {
        var table = RequestTable.Empty;
        for (var i = 0; i < count; i++)
        {
            table = table.Add(Record($"r-{i}"));
            if (table.Count > Max) table = table.RemoveOldest();
        }

        return table;
    }

    [Theory]
    [InlineData(Max - 1)]
    [InlineData(Max)]
    [InlineData(Max + 1)]
    [InlineData(2 * Max - 1)]
    [InlineData(2 * Max)]
    [InlineData(2 * Max + 7)]
    [InlineData(3 * Max + 1)]
    public void AfterAnyNumberOfRecords_ExactlyTheWindowIsFound(int added)
    {
        var table = Fill(added);

        var first = Math.Max(0, added - Max);
        Assert.Equal(added - first, table.Count);
        Assert.Equal($"r-{first}", table.Oldest.RequestId);
        Assert.Equal(Enumerable.Range(first, added - first).Select(i => $"r-{i}"), table.Records.Select(r => r.RequestId));
        for (var i = Math.Max(0, first - Max - 2); i < added; i++)
        {
            Assert.True(table.ContainsKey($"r-{i}") == i >= first, $"r-{i} after {added} records: found {table.ContainsKey($"r-{i}")}");
        }
    }

    /// <summary>A restore builds the table in one pass; it must then answer, and go on answering, as the adds would.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Max - 1)]
    [InlineData(Max)]
    public void FromRecords_AnswersAsAddingThemOneByOne_AlsoAfterMoreRecords(int count)
    {
        var built = RequestTable.FromRecords(Enumerable.Range(0, count).Select(i => Record($"r-{i}")).ToList());
        var added = Fill(count);
        AssertSameAnswers(added, built, count);

        for (var i = count; i < count + Max + 5; i++)
        {
            added = added.Add(Record($"r-{i}"));
            built = built.Add(Record($"r-{i}"));
            if (added.Count > Max) added = added.RemoveOldest();
            if (built.Count > Max) built = built.RemoveOldest();
        }

        AssertSameAnswers(added, built, count + Max + 5);
    }

    private static void AssertSameAnswers(RequestTable expected, RequestTable actual, int idsSoFar)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Records.Select(r => r.RequestId), actual.Records.Select(r => r.RequestId));
        for (var i = 0; i < idsSoFar; i++)
        {
            Assert.True(expected.ContainsKey($"r-{i}") == actual.ContainsKey($"r-{i}"), $"r-{i} after {idsSoFar} ids: added {expected.ContainsKey($"r-{i}")}, built {actual.ContainsKey($"r-{i}")}");
        }
    }

    [Fact]
    public void ForgottenIdRecordedAgain_TheNewRecordIsFound()
    {
        var table = Fill(Max + 10); // r-0..r-9 forgotten, still held by the index
        var again = Record("r-3", TestCommands.T0 + 5);

        table = table.Add(again).RemoveOldest();

        Assert.True(table.TryGetValue("r-3", out var found));
        Assert.Same(again, found);
        Assert.Equal("r-3", table.Records.Last().RequestId);
        Assert.False(table.ContainsKey("r-2"));
    }

    [Fact]
    public void ForgettingEverything_EmptiesTheTable()
    {
        var table = RequestTable.Empty.Add(Record("a")).Add(Record("b"));

        table = table.RemoveOldest().RemoveOldest();

        Assert.True(table.IsEmpty);
        Assert.Equal(0, table.Count);
        Assert.False(table.ContainsKey("a"));
        Assert.False(table.ContainsKey("b"));
        Assert.True(table.Add(Record("a")).ContainsKey("a"));
    }

    [Fact]
    public void Add_LeavesTheEarlierTableAsItWas()
    {
        var before = Fill(Max - 1);

        var after = before.Add(Record("new")).RemoveOldest();

        Assert.Equal(Max - 1, before.Count);
        Assert.True(before.ContainsKey("r-0"));
        Assert.False(before.ContainsKey("new"));
        Assert.False(after.ContainsKey("r-0"));
        Assert.True(after.ContainsKey("new"));
    }

    /// <summary>
    /// Two tables made from the same one (a reader's old state extended beside apply's, say) share nothing: the newest
    /// of a line updates its index in place, so a table made from an older one must answer from its own records.
    /// </summary>
    [Fact]
    public void TwoTablesMadeFromTheSameOne_EachAnswersForItsOwnRecords()
    {
        var before = Fill(Max);

        var first = before.Add(Record("first")).RemoveOldest();
        var second = before.Add(Record("second")).RemoveOldest();
        first = first.Add(Record("first-again")).RemoveOldest();
        second = second.Add(Record("second-again")).RemoveOldest();

        Assert.True(first.ContainsKey("first") && first.ContainsKey("first-again"));
        Assert.False(first.ContainsKey("second") || first.ContainsKey("second-again"));
        Assert.True(second.ContainsKey("second") && second.ContainsKey("second-again"));
        Assert.False(second.ContainsKey("first") || second.ContainsKey("first-again"));
        foreach (var table in new[] { first, second })
        {
            Assert.False(table.ContainsKey("r-0") || table.ContainsKey("r-1"));
            Assert.True(table.ContainsKey("r-2") && table.ContainsKey($"r-{Max - 1}"));
            Assert.Equal(Max, table.Count);
        }

        Assert.True(before.ContainsKey("r-0"));
        Assert.False(before.ContainsKey("first") || before.ContainsKey("second"));
    }

    /// <summary>The newest table of a line forgets through its index too: an id forgotten there is not found.</summary>
    [Fact]
    public void ForgottenThroughTheIndex_IsNotFound_AndAnOlderTableStillFindsIt()
    {
        var older = Fill(3);
        var newer = older.RemoveOldest().RemoveOldest();

        Assert.False(newer.ContainsKey("r-0") || newer.ContainsKey("r-1"));
        Assert.True(newer.ContainsKey("r-2"));
        Assert.True(older.ContainsKey("r-0") && older.ContainsKey("r-1"));
    }
}
