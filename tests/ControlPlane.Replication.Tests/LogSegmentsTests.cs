using ControlPlane.Replication.Log;

namespace ControlPlane.Replication.Tests;

public sealed class LogSegmentsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cp-segments-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void DeleteUpTo_RemovesOnlyAPrefix_SoAnOlderSegmentKeepsTheOneThatReplacedItsEntries()
    {
        using var segments = new LogSegments(_directory, segmentBytes: 1);

        // Entries 1-100; then a new leader's entries replace 51-60; then 61-200 follow.
        segments.Append([1], maxIndex: 100);
        segments.Append([2], maxIndex: 60);
        segments.Append([3], maxIndex: 200);

        // A snapshot at 80: the middle segment holds nothing above it, but the oldest still holds 81-100, which the
        // middle one's records replaced; without the middle one a restart would bring back the replaced entries.
        segments.DeleteUpTo(80);
        Assert.Equal(3, segments.Count);

        segments.DeleteUpTo(150);
        Assert.Equal(1, segments.Count);
        Assert.Single(_directory.GetFiles());
    }

    [Fact]
    public void DeleteAllButNewest_KeepsTheSegmentAnInstallWasRecordedIn()
    {
        using var segments = new LogSegments(_directory, segmentBytes: 1);
        segments.Append([1], maxIndex: 10);
        segments.Append([2], maxIndex: 20);
        segments.Rotate();
        segments.Append([3], maxIndex: 5);

        segments.DeleteAllButNewest();

        Assert.Equal(1, segments.Count);
        Assert.Equal([3], File.ReadAllBytes(Assert.Single(_directory.GetFiles()).FullName));
    }
}
