using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Validation;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// What the resolver reads from a Plan, and nothing else: two views that are equal resolve every Goal the same
/// way, which is what <see cref="PlanResolver.AffectedGoals"/> relies on.
/// </summary>
/// <remarks>
/// Plan shape (<c>planning.controlplane.dev/v1</c>, kind <c>Plan</c>, namespaced):
/// <c>spec.goalRef.name</c> (required; <c>goalRef.namespace</c>, when given, must be the Plan's own namespace),
/// <c>spec.series</c> (optional string; absent, null and "" are the default series),
/// <c>spec.version</c> (optional string or integer, see <see cref="PlanVersion"/>; an unusable one is kept as an
/// invalid version, not refused), <c>spec.supersedes</c> (optional list of Plan names, each a string or
/// <c>{"name": ...}</c>). Other spec fields are the Plan's own business and are ignored here.
/// </remarks>
public sealed record PlanView
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary><c>spec.goalRef.name</c>: the Goal in the same namespace this Plan offers to satisfy.</summary>
    public required string GoalName { get; init; }

    /// <summary><c>spec.series</c>; the empty string is the default series.</summary>
    public string Series { get; init; } = string.Empty;

    public PlanVersion Version { get; init; } = PlanVersion.Missing;

    /// <summary>Names of Plans this one supersedes, ordinal-sorted and without duplicates.</summary>
    public ImmutableArray<string> Supersedes { get; init; } = [];

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary><c>metadata.creationTimestamp</c>; null when the object carries none (ranks as the newest).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public ResourceKey Key => PlanningKinds.PlanKey(Namespace, Name);

    public ResourceKey GoalKey => PlanningKinds.GoalKey(Namespace, GoalName);

    /// <summary>Reads a Plan object; throws <see cref="ControlPlaneException"/> (Invalid) naming the first problem.</summary>
    public static PlanView Parse(JsonObject plan)
    {
        var (key, labels) = ResourceHeader.Read(plan, PlanningKinds.PlanKind);
        try
        {
            var spec = JsonFields.RequiredObject(plan, "spec", "spec");
            var goalRef = JsonFields.RequiredObject(spec, "goalRef", "spec.goalRef");
            var goalName = JsonFields.RequiredString(goalRef, "name", "spec.goalRef.name");
            var goalNamespace = JsonFields.OptionalString(goalRef, "namespace", "spec.goalRef.namespace");
            if (goalNamespace is { Length: > 0 } && goalNamespace != key.Namespace)
            {
                throw ControlPlaneException.Invalid($"spec.goalRef.namespace \"{goalNamespace}\" differs from the Plan's namespace; a Plan can only satisfy a Goal in its own namespace");
            }

            return new PlanView
            {
                Namespace = key.Namespace,
                Name = key.Name,
                GoalName = goalName,
                Series = JsonFields.OptionalString(spec, "series", "spec.series") ?? string.Empty,
                Version = PlanVersion.FromJson(spec["version"]),
                Supersedes = ReadSupersedes(spec, key.Namespace),
                Labels = labels,
                CreatedAt = ResourceHeader.CreatedAt(plan),
            };
        }
        catch (ControlPlaneException e) when (e.Code == ErrorCode.Invalid)
        {
            throw ControlPlaneException.Invalid($"Plan {key.Namespace}/{key.Name}: {e.Message}");
        }
    }

    public static bool TryParse(JsonObject plan, [NotNullWhen(true)] out PlanView? view, [NotNullWhen(false)] out string? error) =>
        ResourceHeader.TryParse(Parse, plan, out view, out error);

    /// <summary>Reads a stored Plan (its JSON, which carries the stamped creationTimestamp).</summary>
    public static PlanView FromStored(StoredResource stored) => Parse(stored.ToJsonObject());

    public bool Equals(PlanView? other) =>
        other is not null
        && Namespace == other.Namespace
        && Name == other.Name
        && GoalName == other.GoalName
        && Series == other.Series
        && Version.Equals(other.Version)
        && Supersedes.SequenceEqual(other.Supersedes)
        && Labels.Count == other.Labels.Count
        && Labels.All(l => other.Labels.TryGetValue(l.Key, out var v) && v == l.Value)
        && CreatedAt == other.CreatedAt;

    public override int GetHashCode() => HashCode.Combine(Namespace, Name, GoalName, Series, Version, CreatedAt);

    public override string ToString() => $"{Namespace}/{Name}";

    private static ImmutableArray<string> ReadSupersedes(JsonObject spec, string @namespace)
    {
        var array = JsonFields.OptionalArray(spec, "supersedes", "spec.supersedes");
        if (array is null) return [];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"spec.supersedes[{i}]";
            var item = array[i];
            string name;
            if (JsonFields.TryString(item, out var text))
            {
                name = text;
            }
            else if (item is JsonObject reference)
            {
                JsonFields.RejectUnknownFields(reference, path, "name", "namespace");
                name = JsonFields.RequiredString(reference, "name", path + ".name");
                var ns = JsonFields.OptionalString(reference, "namespace", path + ".namespace");
                if (ns is { Length: > 0 } && ns != @namespace)
                {
                    throw ControlPlaneException.Invalid($"{path}.namespace \"{ns}\" differs from the Plan's namespace; only Plans of the same Goal can be superseded");
                }
            }
            else
            {
                throw ControlPlaneException.Invalid($"{path} must be a Plan name or {{\"name\": ...}}, got {ObjectValidator.Describe(item)}");
            }

            if (name.Length == 0) throw ControlPlaneException.Invalid($"{path} is an empty name");
            names.Add(name);
        }

        return [.. names];
    }
}
