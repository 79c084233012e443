using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>Three members (node1..node3) plus node4, which starts with no members and stands by until a scenario adds it.</summary>
public sealed class FourNodeCluster(IMessageSink diagnostics) : ContainerCluster(diagnostics)
{
    public override int NodeCount => 4;

    public override int InitialMemberCount => 3;
}
