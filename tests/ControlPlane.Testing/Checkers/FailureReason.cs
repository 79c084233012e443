namespace ControlPlane.Testing.Checkers;

/// <summary>
/// Why a <see cref="OperationOutcome.Failed"/> operation failed, as far as the checkers care. Conflict, NotFound,
/// AlreadyExists and Unspecified are judged against the register state (a Failed conditional write must meet a
/// mismatching resourceVersion, a Failed create a present key); <see cref="Rejected"/> failures do not depend on
/// the state at all (invalid input, too large, permission denied) and are ignored by the linearizability search.
/// </summary>
public enum FailureReason
{
    Unspecified,
    Conflict,
    NotFound,
    AlreadyExists,

    /// <summary>Refused whatever the state: validation, size limits, authorization.</summary>
    Rejected,
}
