namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>A clock the test moves by hand: one timestamp tick per millisecond.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _now;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public void Advance(long milliseconds) => Interlocked.Add(ref _now, milliseconds);
}
