namespace ControlPlane.Client;

/// <summary>What a <see cref="ResourceInformer"/> caches: the objects of one kind, optionally narrowed by namespace and labels.</summary>
/// <param name="ApiVersion">"group/version", or "version" for the core group.</param>
/// <param name="Kind">The kind, e.g. <c>Goal</c>.</param>
public sealed record ResourceInformerOptions(string ApiVersion, string Kind)
{
    /// <summary>Only this namespace; null or empty for every namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>A Kubernetes label selector; null for every object of the kind.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>The first wait after a failed list or watch; it doubles on every further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two failed attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);
}
