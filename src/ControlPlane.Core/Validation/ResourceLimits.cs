namespace ControlPlane.Core.Validation;

/// <summary>Size limits every replica applies identically.</summary>
public sealed record ResourceLimits
{
    public const int DefaultMaxObjectBytes = 1024 * 1024;

    public static ResourceLimits Default { get; } = new();

    /// <summary>The largest stored object, as serialized JSON. Default 1 MiB.</summary>
    public int MaxObjectBytes { get; init; } = DefaultMaxObjectBytes;

    /// <summary>The combined size of annotation keys and values. Default 256 KiB, as in Kubernetes.</summary>
    public int MaxAnnotationBytes { get; init; } = 256 * 1024;
}
