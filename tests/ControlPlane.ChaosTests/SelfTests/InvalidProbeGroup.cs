using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.SelfTests;

/// <summary>A group whose members break the rules (duplicate IP, IP outside the subnet, unpublished readiness port).</summary>
public sealed class InvalidProbeGroup(IMessageSink diagnostics) : ContainerGroup("invalid", diagnostics)
{
    protected override Task<IReadOnlyList<ContainerSpec>> DescribeMembersAsync(ChaosNetwork network, CancellationToken cancellationToken)
    {
        IReadOnlyList<ContainerSpec> specs =
        [
            new() { Name = "a", Image = "unused", Ip = network.Address(11), PublishedPorts = [9000], Readiness = (9000, "/") },
            new() { Name = "b", Image = "unused", Ip = network.Address(11), PublishedPorts = [9000], Readiness = (9000, "/") },
            new() { Name = "c", Image = "unused", Ip = "192.0.2.7", PublishedPorts = [9000], Readiness = (9001, "/") },
        ];
        return Task.FromResult(specs);
    }
}
