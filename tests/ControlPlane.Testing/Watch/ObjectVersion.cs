namespace ControlPlane.Testing.Watch;

/// <summary>One version of an object, as far as watch semantics care: its resourceVersion and its labels (for selectors).</summary>
public sealed record ObjectVersion(long ResourceVersion, IReadOnlyDictionary<string, string> Labels)
{
    public static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public ObjectVersion(long resourceVersion)
        : this(resourceVersion, NoLabels)
    {
    }
}
