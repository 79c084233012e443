namespace ControlPlane.Controllers.Resolver;

/// <summary>How a Plan's <c>spec.version</c> was written.</summary>
public enum PlanVersionForm
{
    /// <summary>Missing or not parseable; ranks below every valid version.</summary>
    Invalid,

    /// <summary>A plain non-negative integer: <c>3</c> (as a JSON string or a JSON integer).</summary>
    Integer,

    /// <summary>Two or more dot-separated non-negative integers other than a SemVer triple: <c>1.2</c>, <c>1.2.3.4</c>.</summary>
    Dotted,

    /// <summary>A SemVer 2.0 version: <c>1.2.3</c>, <c>1.0.0-rc.1</c>, <c>1.0.0+build.5</c>.</summary>
    SemVer,
}
