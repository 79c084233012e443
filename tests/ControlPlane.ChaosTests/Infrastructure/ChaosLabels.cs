namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// Docker labels on everything the chaos tier creates. Ryuk is off, so a crashed run leaks its containers and
/// networks; scripts/chaos-setup.sh removes whatever carries <see cref="Owned"/>.
/// </summary>
public static class ChaosLabels
{
    /// <summary>Set to "true" on every container and network; the cleanup filter.</summary>
    public const string Owned = "controlplane.chaos";

    /// <summary>The fixture instance that created the resource (one id per group), to tell runs apart.</summary>
    public const string Run = "controlplane.chaos.run";

    /// <summary>On images built by scripts/chaos-setup.sh: "base" or "node".</summary>
    public const string Image = "controlplane.chaos.image";
}
