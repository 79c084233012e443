using DotNet.Testcontainers.Containers;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>One container of a group: its spec, the Testcontainers handle and its fixed host ports.</summary>
public sealed class ContainerMember
{
    private readonly Dictionary<int, int> _hostPorts;

    internal ContainerMember(ContainerSpec spec, IContainer container, Dictionary<int, int> hostPorts)
    {
        Spec = spec;
        Container = container;
        _hostPorts = hostPorts;
    }

    public ContainerSpec Spec { get; }

    public string Name => Spec.Name;

    public string Ip => Spec.Ip;

    public IContainer Container { get; }

    public MemberState State { get; internal set; } = MemberState.Created;

    /// <summary>The 127.0.0.1 port that publishes <paramref name="containerPort"/>; the same for the member's whole life.</summary>
    public int HostPort(int containerPort) =>
        _hostPorts.TryGetValue(containerPort, out var port)
            ? port
            : throw new ArgumentException(
                $"Port {containerPort} of {Name} is not published; published: {string.Join(", ", _hostPorts.Keys)}.",
                nameof(containerPort));

    public Uri HostUri(int containerPort, string path = "/") => new($"http://127.0.0.1:{HostPort(containerPort)}{path}");

    public override string ToString() => $"{Name} ({Ip}, {State})";
}
