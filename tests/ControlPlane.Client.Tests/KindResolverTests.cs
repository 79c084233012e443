namespace ControlPlane.Client.Tests;

public sealed class KindResolverTests
{
    private static readonly DiscoveredKind Goal = new("example.com/v1", "Goal", 3, Namespaced: true);
    private static readonly DiscoveredKind Policy = new("example.com/v1", "Policy", 1, Namespaced: false);
    private static readonly DiscoveredKind Class = new("example.com/v1", "Class", 1, Namespaced: false);
    private static readonly DiscoveredKind Node = new("v1", "Node", 2, Namespaced: false);
    private static readonly DiscoveredKind[] Kinds = [Goal, Policy, Class, Node];

    [Theory]
    [InlineData("goals")]
    [InlineData("goal")]
    [InlineData("Goal")]
    [InlineData("GOALS")]
    [InlineData("Goal.example.com")]
    [InlineData("goals.example.com")]
    [InlineData("Goal.v1.example.com")]
    public void Resolve_AnySpelling_FindsTheKind(string input)
    {
        var resolved = KindResolver.Resolve(Kinds, input);

        Assert.Equal(new ResolvedKind("example.com/v1", "Goal", true), resolved);
        Assert.Equal("goal.example.com", resolved.DisplayName);
    }

    [Theory]
    [InlineData("policies", "Policy")]
    [InlineData("classes", "Class")]
    [InlineData("nodes", "Node")]
    [InlineData("Node.v1", "Node")]
    public void Resolve_SimplePlurals(string input, string expectedKind) =>
        Assert.Equal(expectedKind, KindResolver.Resolve(Kinds, input).Kind);

    [Fact]
    public void Resolve_CoreGroupDisplayName_IsTheKindAlone() =>
        Assert.Equal("node", KindResolver.Resolve(Kinds, "nodes").DisplayName);

    [Fact]
    public void Resolve_SameKindInTwoGroups_IsAmbiguousAndListsBoth()
    {
        DiscoveredKind[] kinds = [Goal, new("other.io/v1", "Goal", 1, true)];

        var error = Assert.Throws<KindResolutionException>(() => KindResolver.Resolve(kinds, "goals"));

        Assert.Equal(["Goal.v1.example.com", "Goal.v1.other.io"], error.Candidates);
        Assert.Contains("ambiguous", error.Message, StringComparison.Ordinal);
        Assert.Contains("Goal.v1.other.io", error.Message, StringComparison.Ordinal);
        Assert.Equal("other.io/v1", KindResolver.Resolve(kinds, "goal.other.io").ApiVersion);
    }

    [Fact]
    public void Resolve_TwoVersions_IsAmbiguousUntilTheVersionIsGiven()
    {
        DiscoveredKind[] kinds = [Goal, new("example.com/v2", "Goal", 1, true)];

        var error = Assert.Throws<KindResolutionException>(() => KindResolver.Resolve(kinds, "Goal.example.com"));

        Assert.Equal(2, error.Candidates.Count);
        Assert.Equal("example.com/v2", KindResolver.Resolve(kinds, "Goal.v2.example.com").ApiVersion);
        Assert.Equal("example.com/v2", KindResolver.Resolve(kinds, "goals", "example.com/v2").ApiVersion);
    }

    [Fact]
    public void Resolve_NothingDiscoveredAndNoGroup_SuggestsApiVersion()
    {
        var error = Assert.Throws<KindResolutionException>(() => KindResolver.Resolve([], "goals"));

        Assert.Contains("--api-version", error.Message, StringComparison.Ordinal);
        Assert.Contains("No kind has any objects yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownKind_ListsTheKindsThatExist()
    {
        var error = Assert.Throws<KindResolutionException>(() => KindResolver.Resolve(Kinds, "plans"));

        Assert.Contains("Goal.v1.example.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("--api-version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExplicitApiVersionAndExactKind_WorksWithNothingDiscovered() =>
        Assert.Equal(new ResolvedKind("example.com/v1", "Plan", null), KindResolver.Resolve([], "Plan", "example.com/v1"));

    [Fact]
    public void Resolve_FullyQualifiedExactKind_WorksWithNothingDiscovered() =>
        Assert.Equal(new ResolvedKind("example.com/v1", "Plan", null), KindResolver.Resolve([], "Plan.v1.example.com"));

    [Fact]
    public void Resolve_ExplicitApiVersionButLowerCasePlural_AsksForTheExactName()
    {
        var error = Assert.Throws<KindResolutionException>(() => KindResolver.Resolve([], "plans", "example.com/v1"));

        Assert.Contains("\"Plan\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_GroupWithoutVersionAndNothingDiscovered_AsksForTheVersion()
    {
        var error = Assert.Throws<KindResolutionException>(() => KindResolver.Resolve([], "Plan.example.com"));

        Assert.Contains("Plan.VERSION.example.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ApiVersionDisagreesWithTypedGroup_IsAnError() =>
        Assert.Throws<KindResolutionException>(() => KindResolver.Resolve(Kinds, "Goal.other.io", "example.com/v1"));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(".example.com")]
    [InlineData("Goal.")]
    [InlineData("Goal..com")]
    public void Resolve_MalformedInput_IsAnError(string input) =>
        Assert.Throws<KindResolutionException>(() => KindResolver.Resolve(Kinds, input));

    [Theory]
    [InlineData("Example.com/v1")]
    [InlineData("example.com/")]
    [InlineData("/v1")]
    [InlineData("a/b/c")]
    public void Resolve_MalformedApiVersion_IsAnError(string apiVersion) =>
        Assert.Throws<KindResolutionException>(() => KindResolver.Resolve(Kinds, "Goal", apiVersion));

    [Fact]
    public void NameMatches_DoesNotMatchUnrelatedSuffixes()
    {
        Assert.False(KindResolver.NameMatches("goalss", "Goal"));
        Assert.False(KindResolver.NameMatches("goa", "Goal"));
        Assert.False(KindResolver.NameMatches("polices", "Policy"));
    }
}
