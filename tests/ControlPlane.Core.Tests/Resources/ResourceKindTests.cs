using ControlPlane.Core.Resources;

namespace ControlPlane.Core.Tests.Resources;

public class ResourceKindTests
{
    [Theory]
    [InlineData("v1", "", "v1")]
    [InlineData("apps/v1", "apps", "v1")]
    [InlineData("example.com/v1alpha1", "example.com", "v1alpha1")]
    [InlineData("a/b/c", "a", "b/c")]
    [InlineData("/v1", "", "v1")]
    [InlineData("apps/", "apps", "")]
    [InlineData("", "", "")]
    public void SplitApiVersion_Text_SplitsAtTheFirstSlashWithoutValidating(string apiVersion, string group, string version)
    {
        Assert.Equal((group, version), ResourceKind.SplitApiVersion(apiVersion));
    }

    [Theory]
    [InlineData("v1", "ConfigMap", "", "v1", "v1/ConfigMap")]
    [InlineData("apps/v1", "Deployment", "apps", "v1", "apps/v1/Deployment")]
    [InlineData("example.com/v1alpha1", "Widget", "example.com", "v1alpha1", "example.com/v1alpha1/Widget")]
    public void Create_ApiVersionAndKind_SplitsAndFormats(string apiVersion, string kind, string group, string version, string text)
    {
        var resourceKind = ResourceKind.Create(apiVersion, kind);

        Assert.Equal(new ResourceKind(group, version, kind), resourceKind);
        Assert.Equal(apiVersion, resourceKind.ApiVersion);
        Assert.Equal(text, resourceKind.ToString());
    }

    [Fact]
    public void TryParse_ApiVersionAndKind_ReturnsKind()
    {
        Assert.True(ResourceKind.TryParse("apps/v1", "Deployment", out var kind));

        Assert.Equal(new ResourceKind("apps", "v1", "Deployment"), kind);
    }

    [Theory]
    [InlineData("", "Deployment")]
    [InlineData("apps/v1", "")]
    public void TryParse_MissingPart_ReturnsFalse(string apiVersion, string kind)
    {
        Assert.False(ResourceKind.TryParse(apiVersion, kind, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void CompareTo_Kinds_OrdersByGroupThenVersionThenKindOrdinally()
    {
        ResourceKind[] expected =
        [
            new(string.Empty, "v1", "ConfigMap"),
            new(string.Empty, "v1", "Pod"),
            new(string.Empty, "v1", "pod"),
            new(string.Empty, "v2", "ConfigMap"),
            new("apps", "v1", "Deployment"),
            new("apps", "v1", "StatefulSet"),
            new("apps", "v1beta1", "Deployment"),
            new("batch", "v1", "Job"),
        ];
        var sorted = expected.Reverse().ToList();

        sorted.Sort();

        Assert.Equal(expected, sorted);
        Assert.Equal(0, new ResourceKind("apps", "v1", "Deployment").CompareTo(ResourceKind.Create("apps/v1", "Deployment")));
    }
}
