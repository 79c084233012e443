namespace ControlPlane.Testing.Checkers;

/// <summary>A checker's verdict.</summary>
public enum CheckStatus
{
    /// <summary>The history satisfies the property.</summary>
    Ok,

    /// <summary>The history breaks the property; the explanation names the operations.</summary>
    Violation,

    /// <summary>The checker could not decide within its budget. Not a violation, not a pass.</summary>
    Unknown,
}
