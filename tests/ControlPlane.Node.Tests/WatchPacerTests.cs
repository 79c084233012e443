using System.ComponentModel.DataAnnotations;
using ControlPlane.Node.Api;
using ControlPlane.Node.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Node.Tests;

public sealed class WatchPacerTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(25);

    [Fact]
    public void Interval_IsTheStreamsOverTheRate_UpToTheCap_AndZeroBelowAMillisecond()
    {
        using var pacer = new WatchPacer(Cap, 2000, new FakeTimeProvider());
        Assert.Equal(TimeSpan.Zero, pacer.Interval);

        var streams = Enumerable.Range(0, 10).Select(_ => pacer.Join()).ToList();
        Assert.Equal(10, pacer.Streams);
        Assert.Equal(TimeSpan.FromMilliseconds(5), pacer.Interval);
        streams.AddRange(Enumerable.Range(0, 50).Select(_ => pacer.Join()));
        Assert.Equal(Cap, pacer.Interval);

        // Streams that end stop counting (once each); below a millisecond nobody waits.
        foreach (var stream in streams.Skip(1)) stream.Dispose();
        streams[^1].Dispose();
        Assert.Equal(1, pacer.Streams);
        Assert.Equal(TimeSpan.Zero, pacer.Interval);
        Assert.False(streams[0].MustWait());
    }

    [Fact]
    public void MustWait_OnlyWithinAnIntervalOfTheLastEventsSent()
    {
        var time = new FakeTimeProvider();
        using var pacer = new WatchPacer(Cap, 40, time);
        using var stream = pacer.Join();
        Assert.Equal(Cap, pacer.Interval);

        // A stream that sent no events yet, or none for an interval, sends at once.
        Assert.False(stream.MustWait());
        stream.Sent();
        Assert.True(stream.MustWait());
        time.Advance(Cap - TimeSpan.FromMilliseconds(1));
        Assert.True(stream.MustWait());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(stream.MustWait());
    }

    [Fact]
    public async Task NextTick_ComesOneIntervalAfterTheFirstWaiter_ForEveryStreamOfTheLane()
    {
        var time = new FakeTimeProvider();
        using var pacer = new WatchPacer(Cap, 1, time);
        var streams = Enumerable.Range(0, WatchPacer.Lanes + 1).Select(_ => pacer.Join()).ToList();
        var (first, sameLane) = (streams[0], streams[WatchPacer.Lanes]);
        var waiting = first.NextTickAsync();
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Same(waiting, sameLane.NextTickAsync());

        time.Advance(TimeSpan.FromMilliseconds(14));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        // The lane's timer is armed again only by the next waiter: nothing ticks while nobody waits.
        time.Advance(TimeSpan.FromSeconds(1));
        var next = first.NextTickAsync();
        Assert.False(next.IsCompleted);
        time.Advance(Cap);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Lanes_TickIndependently_AndStreamsJoinThemInTurn()
    {
        var time = new FakeTimeProvider();
        using var pacer = new WatchPacer(Cap, 1, time);
        var streams = Enumerable.Range(0, WatchPacer.Lanes + 1).Select(_ => pacer.Join()).ToList();
        Assert.Equal([.. Enumerable.Range(0, WatchPacer.Lanes), 0], streams.Select(s => s.Lane));

        var early = streams[0].NextTickAsync();
        time.Advance(TimeSpan.FromMilliseconds(10));
        var late = streams[1].NextTickAsync();
        time.Advance(TimeSpan.FromMilliseconds(15));
        await early.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(late.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        await late.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ZeroCap_TurnsPacingOff()
    {
        using var pacer = new WatchPacer(TimeSpan.Zero, 1, new FakeTimeProvider());
        using var stream = pacer.Join();
        stream.Sent();
        Assert.Equal(TimeSpan.Zero, pacer.Interval);
        Assert.False(stream.MustWait());
        Assert.True(stream.NextTickAsync().IsCompleted);
    }

    [Fact]
    public async Task Dispose_ReleasesWaiters_AndLaterWaitsEndAtOnce()
    {
        var pacer = new WatchPacer(Cap, 1, new FakeTimeProvider());
        using var stream = pacer.Join();
        var waiting = stream.NextTickAsync();
        pacer.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(stream.NextTickAsync().IsCompleted);
    }

    [Fact]
    public void NegativeCapOrNoRate_IsRefused()
    {
        Assert.Equal("maxInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new WatchPacer(TimeSpan.FromMilliseconds(-1), 1, TimeProvider.System)).ParamName);
        Assert.Equal("messagesPerSecond", Assert.Throws<ArgumentOutOfRangeException>(() => new WatchPacer(Cap, 0, TimeProvider.System)).ParamName);
    }

    [Theory]
    [InlineData(-1, 10_000, nameof(WatchOptions.CoalesceIntervalMs))]
    [InlineData(0, 10_000, null)]
    [InlineData(1000, 1, null)]
    [InlineData(1001, 10_000, nameof(WatchOptions.CoalesceIntervalMs))]
    [InlineData(25, 0, nameof(WatchOptions.CoalesceMessagesPerSecond))]
    public void PacingSettings_OutOfRange_AreRefusedByName(int intervalMs, int messagesPerSecond, string? refused)
    {
        var options = new WatchOptions { CoalesceIntervalMs = intervalMs, CoalesceMessagesPerSecond = messagesPerSecond };
        var results = new List<ValidationResult>();
        Assert.Equal(refused is null, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        if (refused is not null) Assert.Equal([refused], results.Single().MemberNames);
    }
}
