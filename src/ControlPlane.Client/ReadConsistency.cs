using ControlPlane.Contracts.V1;

namespace ControlPlane.Client;

/// <summary>How fresh a read must be. The default, <see cref="Linearizable"/>, never returns stale data.</summary>
public sealed class ReadConsistency
{
    private ReadConsistency(ReadMode mode, string minResourceVersion)
    {
        Mode = mode;
        MinResourceVersion = minResourceVersion;
    }

    /// <summary>The serving node confirms with the leader and reads after everything committed before the call.</summary>
    public static ReadConsistency Linearizable { get; } = new(ReadMode.Linearizable, string.Empty);

    /// <summary>Whatever the serving node has applied: fast, possibly stale.</summary>
    public static ReadConsistency Local { get; } = new(ReadMode.Local, string.Empty);

    /// <summary>The read mode sent to the server.</summary>
    public ReadMode Mode { get; }

    /// <summary>For <see cref="ReadMode.NotOlderThan"/>: the resourceVersion the answer must include; else empty.</summary>
    public string MinResourceVersion { get; }

    /// <summary>
    /// A read that reflects at least <paramref name="resourceVersion"/>: the node waits until it has applied it,
    /// bounded by the call's deadline, and never answers older data.
    /// </summary>
    /// <param name="resourceVersion">A resourceVersion returned by an earlier call (a decimal string).</param>
    public static ReadConsistency NotOlderThan(string resourceVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceVersion);
        return new(ReadMode.NotOlderThan, resourceVersion);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Mode == ReadMode.NotOlderThan ? $"NotOlderThan({MinResourceVersion})" : Mode.ToString();

    internal Contracts.V1.ReadOptions ToProto() => new() { Mode = Mode, MinResourceVersion = MinResourceVersion };
}
