using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Client.Tests.Watch;

public sealed class WatchSilenceTests
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(8);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ReadThatWaitsTheWholeBound_CancelsTheCall()
    {
        using var silence = new WatchSilence(Silence, _time);

        silence.ReadStarted();
        _time.Advance(Silence - TimeSpan.FromMilliseconds(1));
        Assert.False(silence.Elapsed, "a read that waited less than the bound must not end the call");
        _time.Advance(TimeSpan.FromSeconds(1)); // the next check, an eighth of the bound later at most

        Assert.True(silence.Token.IsCancellationRequested, "the call's token must be cancelled");
    }

    [Fact]
    public void ReadThatStartsBetweenChecks_IsCancelledWithinAnEighthOfTheBoundAfterIt()
    {
        using var silence = new WatchSilence(Silence, _time);
        _time.Advance(TimeSpan.FromMilliseconds(500)); // off the checks' grid of 1 s

        silence.ReadStarted();
        _time.Advance(Silence - TimeSpan.FromMilliseconds(100));
        Assert.False(silence.Elapsed, "7.9 s into an 8 s bound");
        _time.Advance(TimeSpan.FromSeconds(1)); // now 9.4 s: the check at 9 s saw a read 8.5 s old

        Assert.True(silence.Elapsed, "a read must be given up at most an eighth of the bound late");
    }

    [Fact]
    public void Created_LeavesTheCallersFlowAsItWas()
    {
        using (ExecutionContext.SuppressFlow())
        {
            using (new WatchSilence(Silence, _time))
            {
                Assert.True(ExecutionContext.IsFlowSuppressed(), "a caller that suppressed the flow keeps it suppressed");
            }
        }

        using (new WatchSilence(Silence, _time))
        {
            Assert.False(ExecutionContext.IsFlowSuppressed(), "the watchdog must restore the flow it suppressed");
        }
    }

    [Fact]
    public void TimeTheCallerSpendsBetweenReads_DoesNotCount()
    {
        using var silence = new WatchSilence(Silence, _time);

        silence.ReadStarted();
        _time.Advance(TimeSpan.FromSeconds(5));
        silence.ReadEnded();
        _time.Advance(Silence * 3); // the caller holds the message
        silence.ReadStarted();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(silence.Elapsed, "only the time a single read waits counts");
    }

    [Fact]
    public void EachRead_StartsTheBoundAgain()
    {
        using var silence = new WatchSilence(Silence, _time);

        for (var i = 0; i < 10; i++)
        {
            silence.ReadStarted();
            _time.Advance(TimeSpan.FromSeconds(7));
            silence.ReadEnded();
        }

        Assert.False(silence.Elapsed, "ten reads of 7 s each, under an 8 s bound");
    }
}
