using System.ComponentModel.DataAnnotations;
using ControlPlane.Node.Api;
using ControlPlane.Node.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Node.Tests;

public sealed class WatchPacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    [Fact]
    public void MustWait_OnlyWithinAnIntervalOfTheLastEventsSent()
    {
        var time = new FakeTimeProvider();
        using var pacer = new WatchPacer(Interval, time);

        // A stream that sent no events yet, or none for an interval, sends at once.
        Assert.False(pacer.MustWait(0));
        var sent = time.GetTimestamp();
        Assert.True(pacer.MustWait(sent));
        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.True(pacer.MustWait(sent));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(pacer.MustWait(sent));
    }

    [Fact]
    public async Task NextTick_ComesOneIntervalAfterTheFirstWaiter_ForEveryWaiterOfTheLane()
    {
        var time = new FakeTimeProvider();
        using var pacer = new WatchPacer(Interval, time);
        var first = pacer.NextTickAsync(0);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var second = pacer.NextTickAsync(0);
        Assert.Same(first, second);

        time.Advance(TimeSpan.FromMilliseconds(14));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        // The lane's timer is armed again only by the next waiter: nothing ticks while nobody waits.
        time.Advance(TimeSpan.FromSeconds(1));
        var third = pacer.NextTickAsync(0);
        Assert.False(third.IsCompleted);
        time.Advance(Interval);
        await third.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Lanes_TickIndependently_AndStreamsAreSpreadOverThemInTurn()
    {
        var time = new FakeTimeProvider();
        using var pacer = new WatchPacer(Interval, time);
        var lanes = Enumerable.Range(0, WatchPacer.Lanes + 1).Select(_ => pacer.AssignLane()).ToList();
        Assert.Equal([.. Enumerable.Range(0, WatchPacer.Lanes), 0], lanes);

        var early = pacer.NextTickAsync(0);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var late = pacer.NextTickAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(15));
        await early.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(late.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        await late.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ZeroInterval_TurnsPacingOff()
    {
        using var pacer = new WatchPacer(TimeSpan.Zero, new FakeTimeProvider());
        Assert.False(pacer.MustWait(1));
        Assert.True(pacer.NextTickAsync(pacer.AssignLane()).IsCompleted);
    }

    [Fact]
    public async Task Dispose_ReleasesWaiters_AndLaterWaitsEndAtOnce()
    {
        var time = new FakeTimeProvider();
        var pacer = new WatchPacer(Interval, time);
        var waiting = pacer.NextTickAsync(3);
        pacer.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(pacer.NextTickAsync(3).IsCompleted);
    }

    [Fact]
    public void NegativeInterval_IsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WatchPacer(TimeSpan.FromMilliseconds(-1), TimeProvider.System));
        Assert.Equal("interval", e.ParamName);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void CoalesceIntervalMs_OutsideZeroToOneSecond_IsRefusedByName(int value, bool valid)
    {
        var options = new WatchOptions { CoalesceIntervalMs = value };
        var results = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        if (!valid) Assert.Equal([nameof(WatchOptions.CoalesceIntervalMs)], results.Single().MemberNames);
    }
}
