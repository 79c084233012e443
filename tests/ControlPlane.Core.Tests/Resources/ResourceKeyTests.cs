using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Tests.Resources;

public class ResourceKeyTests
{
    [Theory]
    [InlineData("", "v1", "v1")]
    [InlineData("apps", "v1", "apps/v1")]
    [InlineData("example.com", "v1alpha1", "example.com/v1alpha1")]
    public void ApiVersion_GroupAndVersion_JoinsWithSlashUnlessCoreGroup(string group, string version, string expected)
    {
        var key = new ResourceKey(group, version, "Kind", "ns", "name");

        Assert.Equal(expected, key.ApiVersion);
        Assert.Equal(expected, key.ResourceKind.ApiVersion);
    }

    [Theory]
    [InlineData("v1", "ConfigMap", "default", "cfg", "", "v1", "default")]
    [InlineData("apps/v1", "Deployment", "prod", "web", "apps", "v1", "prod")]
    [InlineData("example.com/v1alpha1", "Widget", null, "w", "example.com", "v1alpha1", "")]
    public void Create_ApiVersion_SplitsGroupAndVersion(string apiVersion, string kind, string? ns, string name, string group, string version, string expectedNamespace)
    {
        var key = ResourceKey.Create(apiVersion, kind, ns, name);

        Assert.Equal(new ResourceKey(group, version, kind, expectedNamespace, name), key);
        Assert.Equal(apiVersion, key.ApiVersion);
        Assert.Equal(new ResourceKind(group, version, kind), key.ResourceKind);
    }

    [Theory]
    [InlineData("v1", "ConfigMap", "default", "cfg", "v1/ConfigMap/default/cfg")]
    [InlineData("v1", "Node", "", "node-1", "v1/Node/node-1")]
    [InlineData("apps/v1", "Deployment", "prod", "web", "apps/v1/Deployment/prod/web")]
    public void ToString_Key_WritesApiVersionKindNamespaceAndName(string apiVersion, string kind, string ns, string name, string expected)
    {
        Assert.Equal(expected, ResourceKey.Create(apiVersion, kind, ns, name).ToString());
    }

    /// <summary>The state digest hashes this text; it must stay exactly what ToString returns.</summary>
    [Theory]
    [InlineData("v1", "ConfigMap", "default", "cfg")]
    [InlineData("v1", "Node", "", "node-1")]
    [InlineData("apps/v1", "Deployment", "prod", "web")]
    [InlineData("apps.example.io/v1beta1", "Widget", "", "w")]
    public void TryFormat_WritesWhatToStringReturns_AndRefusesAShortBuffer(string apiVersion, string kind, string ns, string name)
    {
        var key = ResourceKey.Create(apiVersion, kind, ns, name);
        var text = key.ToString();
        Span<char> buffer = stackalloc char[64];

        Assert.True(key.TryFormat(buffer, out var written));
        Assert.Equal(text, buffer[..written].ToString());
        Assert.False(key.TryFormat(buffer[..(text.Length - 1)], out _));
    }

    [Fact]
    public void CompareTo_Keys_OrdersByGroupVersionKindNamespaceNameOrdinally()
    {
        ResourceKey[] expected =
        [
            new(string.Empty, "v1", "ConfigMap", string.Empty, "a"),
            new(string.Empty, "v1", "ConfigMap", "default", "B"),
            new(string.Empty, "v1", "ConfigMap", "default", "a"),
            new(string.Empty, "v1", "ConfigMap", "default", "a-1"),
            new(string.Empty, "v1", "ConfigMap", "kube", "a"),
            new(string.Empty, "v1", "Pod", "default", "a"),
            new(string.Empty, "v1", "Secret", string.Empty, "a"),
            new(string.Empty, "v2", "ConfigMap", string.Empty, "a"),
            new("apps", "v1", "Deployment", "default", "a"),
            new("apps", "v1beta1", "Deployment", "default", "a"),
            new("example.com", "v1", "Widget", "default", "a"),
        ];
        var shuffled = expected.Reverse().ToList();
        (shuffled[2], shuffled[7]) = (shuffled[7], shuffled[2]);

        shuffled.Sort();

        Assert.Equal(expected, shuffled);
    }

    [Theory]
    [InlineData("", "v1", "K", "ns", "a", "apps", "v1", "K", "ns", "a")]
    [InlineData("a", "v10", "K", "ns", "a", "a", "v2", "K", "ns", "a")]
    [InlineData("a", "v1", "A", "ns", "a", "a", "v1", "B", "ns", "a")]
    [InlineData("a", "v1", "B", "ns", "a", "a", "v1", "a", "ns", "a")]
    [InlineData("a", "v1", "K", "", "z", "a", "v1", "K", "a", "a")]
    [InlineData("a", "v1", "K", "ns", "a", "a", "v1", "K", "ns", "b")]
    [InlineData("a", "v1", "K", "ns", "a", "a", "v1", "K", "ns", "a-b")]
    public void CompareTo_Smaller_IsNegativeAndAntisymmetric(string g1, string v1, string k1, string ns1, string n1, string g2, string v2, string k2, string ns2, string n2)
    {
        var smaller = new ResourceKey(g1, v1, k1, ns1, n1);
        var larger = new ResourceKey(g2, v2, k2, ns2, n2);

        Assert.True(smaller.CompareTo(larger) < 0, $"{smaller} should sort before {larger}");
        Assert.True(larger.CompareTo(smaller) > 0, $"{larger} should sort after {smaller}");
    }

    [Fact]
    public void CompareTo_EqualKeys_IsZeroAndEqual()
    {
        var a = ResourceKey.Create("apps/v1", "Deployment", "prod", "web");
        var b = new ResourceKey("apps", "v1", "Deployment", "prod", "web");

        Assert.Equal(0, a.CompareTo(b));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_KeysDifferingOnlyInCase_AreDifferent()
    {
        var a = new ResourceKey(string.Empty, "v1", "Pod", "ns", "a");
        var b = new ResourceKey(string.Empty, "v1", "pod", "ns", "a");

        Assert.NotEqual(a, b);
        Assert.NotEqual(0, a.CompareTo(b));
    }
}
