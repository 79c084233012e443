namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>What the fixture last did to a member (Docker's own state is read with ContainerGroup.InspectAsync).</summary>
public enum MemberState
{
    Created,
    Running,
    Paused,
    Stopped,
    Killed,
}
