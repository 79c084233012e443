using ControlPlane.Core.Validation;

namespace ControlPlane.Core.Tests.Validation;

public class NameRulesTests
{
    public static TheoryData<string> ValidSubdomains => new()
    {
        "a",
        "0",
        "abc",
        "a-b",
        "a--b",
        "a.b",
        "0abc.9xyz",
        "my-app.example.com",
        new string('a', 63),
        new string('a', 64) + ".b",
        new string('a', 253),
        string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".a",
    };

    public static TheoryData<string, string> InvalidSubdomains => new()
    {
        { string.Empty, "must not be empty" },
        { new string('a', 254), "253" },
        { "A", "'A'" },
        { "aBc", "'B'" },
        { "a_b", "'_'" },
        { "a b", "' '" },
        { "a/b", "'/'" },
        { "é", "'é'" },
        { "-a", "start and end" },
        { "a-", "start and end" },
        { "a.-b", "start and end" },
        { "a-.b", "start and end" },
        { ".a", "empty dot-separated part" },
        { "a.", "empty dot-separated part" },
        { "a..b", "empty dot-separated part" },
    };

    [Theory]
    [MemberData(nameof(ValidSubdomains))]
    public void IsDns1123Subdomain_ValidName_ReturnsTrue(string value)
    {
        Assert.True(NameRules.IsDns1123Subdomain(value, out var error), error);
        Assert.Null(error);
    }

    [Theory]
    [MemberData(nameof(InvalidSubdomains))]
    public void IsDns1123Subdomain_InvalidName_ReturnsFalseNamingTheProblem(string value, string problem)
    {
        Assert.False(NameRules.IsDns1123Subdomain(value, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    public static TheoryData<string> ValidLabels => new()
    {
        "a",
        "0",
        "a-b",
        "a1",
        "1a",
        "kube-system",
        new string('a', 63),
    };

    public static TheoryData<string, string> InvalidLabels => new()
    {
        { string.Empty, "must not be empty" },
        { new string('a', 64), "63" },
        { "a.b", "'.'" },
        { "A", "'A'" },
        { "aBc", "'B'" },
        { "a_b", "'_'" },
        { "-a", "start and end" },
        { "a-", "start and end" },
        { "-", "start and end" },
    };

    [Theory]
    [MemberData(nameof(ValidLabels))]
    public void IsDns1123Label_ValidLabel_ReturnsTrue(string value)
    {
        Assert.True(NameRules.IsDns1123Label(value, out var error), error);
        Assert.Null(error);
    }

    [Theory]
    [MemberData(nameof(InvalidLabels))]
    public void IsDns1123Label_InvalidLabel_ReturnsFalseNamingTheProblem(string value, string problem)
    {
        Assert.False(NameRules.IsDns1123Label(value, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pod")]
    [InlineData("ConfigMap")]
    [InlineData("V1Thing2")]
    [InlineData("a")]
    [InlineData("lowercase")]
    public void IsKind_ValidKind_ReturnsTrue(string value)
    {
        Assert.True(NameRules.IsKind(value, out var error), error);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("1Pod", "start with a letter")]
    [InlineData("-Pod", "start with a letter")]
    [InlineData("Pod-x", "'-'")]
    [InlineData("Pod.x", "'.'")]
    [InlineData("Pod x", "' '")]
    [InlineData("Pod/x", "'/'")]
    [InlineData("Pód", "'ó'")]
    [InlineData("Pod\0", "'\0'")]
    public void IsKind_InvalidKind_ReturnsFalseNamingTheProblem(string value, string problem)
    {
        Assert.False(NameRules.IsKind(value, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsKind_LongerThan63_ReturnsFalseNamingTheLimit()
    {
        Assert.True(NameRules.IsKind(new string('K', 63), out _));

        Assert.False(NameRules.IsKind(new string('K', 64), out var error));
        Assert.Contains("63", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1beta1")]
    [InlineData("apps/v1")]
    [InlineData("example.com/v1alpha1")]
    [InlineData("rbac.authorization.k8s.io/v1")]
    [InlineData("my-group.example.com/v2")]
    public void IsApiVersion_ValidApiVersion_ReturnsTrue(string value)
    {
        Assert.True(NameRules.IsApiVersion(value, out var error), error);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("V1", "version")]
    [InlineData("v1.0", "version")]
    [InlineData("/v1", "group must not be empty")]
    [InlineData("apps/", "version must not be empty")]
    [InlineData("Apps/v1", "group")]
    [InlineData("apps/V1", "version")]
    [InlineData("apps_x/v1", "group")]
    [InlineData("a/b/c", "version")]
    [InlineData("apps//v1", "version")]
    [InlineData("-apps/v1", "group")]
    [InlineData("example.com./v1", "group")]
    [InlineData("apps/v1 ", "version")]
    [InlineData(" v1", "version")]
    public void IsApiVersion_InvalidApiVersion_ReturnsFalseNamingThePart(string value, string problem)
    {
        Assert.False(NameRules.IsApiVersion(value, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }
}
