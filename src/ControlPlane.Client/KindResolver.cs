using System.Text.RegularExpressions;

namespace ControlPlane.Client;

/// <summary>
/// Resolves the kind a person typed (<c>goals</c>, <c>goal</c>, <c>Goal</c>, <c>Goal.example.com</c>,
/// <c>Goal.v1.example.com</c>), optionally with an explicit apiVersion, against discovery (<see cref="IControlPlaneClient.ListKindsAsync"/>).
/// Kinds match case-insensitively, singular or in a simple plural (+s, +es, y to ies). In <c>Kind.x.group</c>, x is
/// read as the version when it looks like one (v1, v2beta1); other versions need an explicit apiVersion.
/// </summary>
public static partial class KindResolver
{
    private const int MaxKindsInMessage = 12;

    /// <summary>Asks discovery for the kinds that have objects and resolves <paramref name="input"/> against them.</summary>
    /// <param name="client">The client to ask.</param>
    /// <param name="input">What was typed.</param>
    /// <param name="apiVersion">An explicit "group/version" (cpctl's <c>--api-version</c>); null when none was given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KindResolutionException">The input matches no kind, or several.</exception>
    public static async Task<ResolvedKind> ResolveAsync(IControlPlaneClient client, string input, string? apiVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var kinds = await client.ListKindsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return Resolve(kinds, input, apiVersion);
    }

    /// <summary>Resolves <paramref name="input"/> against <paramref name="kinds"/>.</summary>
    /// <param name="kinds">The kinds discovery reported.</param>
    /// <param name="input">What was typed.</param>
    /// <param name="apiVersion">An explicit "group/version"; null when none was given.</param>
    /// <exception cref="KindResolutionException">The input matches no kind, or several.</exception>
    public static ResolvedKind Resolve(IReadOnlyList<DiscoveredKind> kinds, string input, string? apiVersion = null)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var query = Parse(input, apiVersion);
        var candidates = kinds.Where(k => NameMatches(query.Name, k.Kind) && query.Accepts(k)).ToList();
        if (candidates.Count > 1)
        {
            // "Goal" when both Goal and goal exist means Goal; otherwise the choice is the user's.
            var exact = candidates.Where(k => string.Equals(k.Kind, query.Name, StringComparison.Ordinal)).ToList();
            if (exact.Count == 1) candidates = exact;
        }

        if (candidates.Count == 1)
        {
            var k = candidates[0];
            return new ResolvedKind(k.ApiVersion, k.Kind, k.Namespaced);
        }

        if (candidates.Count > 1)
        {
            var names = candidates.Select(QualifiedName).Order(StringComparer.Ordinal).ToList();
            throw new KindResolutionException(
                $"\"{input}\" is ambiguous: it matches {string.Join(", ", names)}. " +
                "Qualify it (e.g. " + names[0] + ") or pass --api-version.",
                names);
        }

        return ResolveUndiscovered(kinds, input, query);
    }

    /// <summary>The fully qualified form a person can type: <c>Kind.version.group</c>, or <c>Kind.version</c> for the core group.</summary>
    /// <param name="kind">A discovered kind.</param>
    public static string QualifiedName(DiscoveredKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Group.Length == 0 ? $"{kind.Kind}.{kind.Version}" : $"{kind.Kind}.{kind.Version}.{kind.Group}";
    }

    /// <summary>The input matches <paramref name="kind"/> by name: the kind itself or a simple plural, ignoring case.</summary>
    /// <param name="input">The name part of what was typed.</param>
    /// <param name="kind">A kind's exact name.</param>
    public static bool NameMatches(string input, string kind)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(kind);
        if (string.Equals(input, kind, StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(input, kind + "s", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(input, kind + "es", StringComparison.OrdinalIgnoreCase)) return true;
        return kind.Length > 1
            && kind.EndsWith("y", StringComparison.OrdinalIgnoreCase)
            && string.Equals(input, kind[..^1] + "ies", StringComparison.OrdinalIgnoreCase);
    }

    private static ResolvedKind ResolveUndiscovered(IReadOnlyList<DiscoveredKind> kinds, string input, KindQuery query)
    {
        // Discovery lists only kinds that have objects, so a kind with none yet can still be meant. With a full
        // apiVersion and the kind's exact name (it starts upper case, as kinds do) that is unambiguous.
        if (query.ApiVersion is { } apiVersion)
        {
            if (query.Name.Length > 0 && char.IsUpper(query.Name[0]))
                return new ResolvedKind(apiVersion, query.Name, null);
            throw new KindResolutionException(
                $"no objects of a kind matching \"{query.Name}\" exist in {apiVersion}, so its exact name cannot be discovered; " +
                $"type the kind as it is spelled (e.g. \"{Capitalize(Singular(query.Name))}\").");
        }

        var known = kinds.Count == 0
            ? " No kind has any objects yet."
            : " Kinds with objects: " + string.Join(", ", kinds.Select(QualifiedName).Order(StringComparer.Ordinal).Take(MaxKindsInMessage))
              + (kinds.Count > MaxKindsInMessage ? ", ..." : string.Empty) + ".";
        if (query.Group is { } group)
        {
            throw new KindResolutionException(
                $"no objects of a kind matching \"{query.Name}\" exist in group {group}, so its version cannot be discovered; " +
                $"give it: {Capitalize(Singular(query.Name))}.VERSION.{group}, or --api-version {group}/VERSION.{known}");
        }

        throw new KindResolutionException(
            $"no kind matching \"{input}\" has objects (discovery lists only kinds that have objects); " +
            $"to address a kind with no objects yet, pass --api-version GROUP/VERSION with the kind's exact name.{known}");
    }

    private static KindQuery Parse(string input, string? apiVersion)
    {
        if (string.IsNullOrWhiteSpace(input)) throw new KindResolutionException("the kind is empty");
        input = input.Trim();
        if (apiVersion is not null && !ApiVersionPattern().IsMatch(apiVersion))
            throw new KindResolutionException($"--api-version \"{apiVersion}\" is not \"group/version\" or \"version\" (e.g. example.com/v1)");

        var dot = input.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? input : input[..dot];
        if (name.Length == 0) throw new KindResolutionException($"\"{input}\" has no kind before the first '.'");
        if (dot < 0) return new KindQuery(name, null, null, apiVersion);

        var qualifier = input[(dot + 1)..];
        string? version = null;
        string group;
        var nextDot = qualifier.IndexOf('.', StringComparison.Ordinal);
        var first = nextDot < 0 ? qualifier : qualifier[..nextDot];
        if (VersionPattern().IsMatch(first))
        {
            version = first;
            group = nextDot < 0 ? string.Empty : qualifier[(nextDot + 1)..];
        }
        else
        {
            group = qualifier;
        }

        if (group.Length == 0 && version is null || qualifier.EndsWith('.') || qualifier.Contains("..", StringComparison.Ordinal))
            throw new KindResolutionException($"\"{input}\" is not Kind, Kind.group or Kind.version.group");

        var typedApiVersion = version is null ? null : group.Length == 0 ? version : $"{group}/{version}";
        if (apiVersion is not null)
        {
            var (flagGroup, flagVersion) = ApiVersions.Split(apiVersion);
            if (!string.Equals(flagGroup, group, StringComparison.OrdinalIgnoreCase) || version is not null && version != flagVersion)
                throw new KindResolutionException($"\"{input}\" and --api-version {apiVersion} disagree; give one or make them match");
        }

        return new KindQuery(name, group, version, apiVersion ?? typedApiVersion);
    }

    private static string Singular(string name)
    {
        if (name.EndsWith("ies", StringComparison.OrdinalIgnoreCase)) return name[..^3] + "y";
        if (name.EndsWith("ses", StringComparison.OrdinalIgnoreCase) || name.EndsWith("xes", StringComparison.OrdinalIgnoreCase)) return name[..^2];
        return name.EndsWith('s') ? name[..^1] : name;
    }

    private static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>A Kubernetes-style version (v1, v2beta1): how "Kind.v1.group" is told apart from "Kind.group".</summary>
    [GeneratedRegex("^v[0-9]+((alpha|beta)[0-9]+)?$")]
    private static partial Regex VersionPattern();

    /// <summary>"version" or "group/version": the group a DNS-1123 subdomain, the version a DNS-1123 label (as the server checks).</summary>
    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex ApiVersionPattern();

    /// <summary>What was typed, split: the kind's name, and the group and version when given.</summary>
    private sealed record KindQuery(string Name, string? Group, string? Version, string? ApiVersion)
    {
        public bool Accepts(DiscoveredKind kind)
        {
            if (ApiVersion is not null) return string.Equals(kind.ApiVersion, ApiVersion, StringComparison.OrdinalIgnoreCase);
            if (Group is not null && !string.Equals(kind.Group, Group, StringComparison.OrdinalIgnoreCase)) return false;
            return Version is null || string.Equals(kind.Version, Version, StringComparison.Ordinal);
        }
    }
}
