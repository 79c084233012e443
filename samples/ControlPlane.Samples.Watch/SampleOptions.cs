namespace ControlPlane.Samples.Watch;

/// <summary>What the sample watches (configuration section Sample: <c>--Sample:Kind=Widget</c>, say).</summary>
public sealed class SampleOptions
{
    public const string Section = "Sample";

    public string ApiVersion { get; set; } = "example.com/v1";

    public string Kind { get; set; } = "Goal";

    /// <summary>Only this namespace; empty for all.</summary>
    public string? Namespace { get; set; }

    /// <summary>A label selector such as <c>tier=gold</c>; empty for all.</summary>
    public string? LabelSelector { get; set; }
}
