namespace ControlPlane.Testing.Checkers;

/// <summary>What the client learned about an operation.</summary>
public enum OperationOutcome
{
    /// <summary>The server answered success.</summary>
    Ok,

    /// <summary>The server answered a definite failure: the operation was not applied.</summary>
    Failed,

    /// <summary>No definite answer (timeout, Unavailable, connection lost): it may or may not take effect, at any time after it was invoked.</summary>
    Indeterminate,
}
