using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>A cluster whose nodes snapshot (and compact their logs) every few KiB of commands, so a follower that misses a few seconds must install a snapshot.</summary>
public sealed class SmallSnapshotCluster(IMessageSink diagnostics) : ContainerCluster(diagnostics)
{
    public const int SnapshotThresholdBytes = 8192;

    protected override void ConfigureNode(int ordinal, IDictionary<string, string> environment) =>
        environment["ControlPlane__Storage__SnapshotThresholdBytes"] = SnapshotThresholdBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
