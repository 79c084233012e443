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
}
