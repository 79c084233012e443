namespace ControlPlane.Bench.Targets;

/// <summary>An item of a watch stream: the "established" marker, or one event with the object's stored value.</summary>
public readonly record struct WatchDelivery(bool Established, ReadOnlyMemory<byte> Value)
{
    public static WatchDelivery EstablishedMarker => new(true, ReadOnlyMemory<byte>.Empty);
}
