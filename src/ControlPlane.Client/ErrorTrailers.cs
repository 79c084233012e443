namespace ControlPlane.Client;

/// <summary>The names of the trailers that carry error details (see the top of resources.proto).</summary>
public static class ErrorTrailers
{
    /// <summary>The reason name, e.g. "Conflict".</summary>
    public const string Reason = "cp-error-reason";

    /// <summary>For Conflict and AlreadyExists: the stored resourceVersion.</summary>
    public const string CurrentResourceVersion = "cp-current-resource-version";

    /// <summary>For Unavailable: the leader's gRPC endpoint when known.</summary>
    public const string LeaderEndpoint = "cp-leader-endpoint";

    /// <summary>For Expired: the oldest position still retained.</summary>
    public const string OldestResourceVersion = "cp-oldest-resource-version";
}
