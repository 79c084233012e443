namespace ControlPlane.Testing.Watch;

/// <summary>
/// What a watcher asked for: one kind, optionally one namespace and one name, and a label predicate standing for its
/// selector. The predicate is the test's own reading of the selector, not the server's parser, so the check is independent.
/// </summary>
public sealed record WatchFilter(string ApiVersion, string Kind)
{
    public string? Namespace { get; init; }

    public string? Name { get; init; }

    /// <summary>Whether an object with these labels is selected; null selects everything.</summary>
    public Func<IReadOnlyDictionary<string, string>, bool>? Labels { get; init; }

    /// <summary>How reports name the selector, e.g. "tier=gold".</summary>
    public string? LabelsDescription { get; init; }

    public bool Matches(ObjectKey key, ObjectVersion? version) =>
        version is not null
        && key.ApiVersion == ApiVersion && key.Kind == Kind
        && (string.IsNullOrEmpty(Namespace) || key.Namespace == Namespace)
        && (string.IsNullOrEmpty(Name) || key.Name == Name)
        && (Labels is null || Labels(version.Labels));

    public override string ToString() =>
        $"{Kind}" + (string.IsNullOrEmpty(Namespace) ? "" : $" -n {Namespace}") + (string.IsNullOrEmpty(Name) ? "" : $" {Name}")
        + (Labels is null ? "" : $" -l {LabelsDescription ?? "(predicate)"}");
}
