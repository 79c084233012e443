namespace ControlPlane.Core.Store;

/// <summary>Leadership of this node, as leader-only controllers see it.</summary>
public interface ILeadership
{
    bool IsLeader { get; }

    /// <summary>
    /// Completes when this node leads and the new term's barrier is applied, so the local state holds every
    /// committed write. The returned token is cancelled as soon as leadership is lost.
    /// </summary>
    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken);
}
