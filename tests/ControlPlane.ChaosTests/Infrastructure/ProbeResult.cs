namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>One look at a condition: whether it holds, the value when it does, and what was seen for the failure message.</summary>
public readonly record struct ProbeResult<T>(bool Done, T? Value, string Seen)
{
    public static ProbeResult<T> Pass(T value, string seen) => new(true, value, seen);

    public static ProbeResult<T> Fail(string seen) => new(false, default, seen);
}
