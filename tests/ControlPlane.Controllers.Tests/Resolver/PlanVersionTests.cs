using System.Text.Json.Nodes;
using ControlPlane.Controllers.Resolver;

namespace ControlPlane.Controllers.Tests.Resolver;

public class PlanVersionTests
{
    [Theory]
    [InlineData("3", PlanVersionForm.Integer)]
    [InlineData("0", PlanVersionForm.Integer)]
    [InlineData("123456789012345678901234567890", PlanVersionForm.Integer)]
    [InlineData("1.2", PlanVersionForm.Dotted)]
    [InlineData("1.2.3.4", PlanVersionForm.Dotted)]
    [InlineData("1.2.3", PlanVersionForm.SemVer)]
    [InlineData("1.0.0-alpha.1", PlanVersionForm.SemVer)]
    [InlineData("1.0.0+build.7", PlanVersionForm.SemVer)]
    [InlineData("1.0.0-rc.1+exp.sha.5114f85", PlanVersionForm.SemVer)]
    [InlineData("0.0.0-0", PlanVersionForm.SemVer)]
    public void Parse_ValidForms(string text, PlanVersionForm form)
    {
        var v = PlanVersion.Parse(text);
        Assert.True(v.IsValid, v.Error);
        Assert.Equal(form, v.Form);
        Assert.Equal(text, v.Text);
        Assert.Null(v.Error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("v1.2.3", "not an integer, a dotted number or a SemVer 2.0 version")]
    [InlineData("1..2", "component 2 is empty")]
    [InlineData("1.", "component 2 is empty")]
    [InlineData(".1", "component 1 is empty")]
    [InlineData("1.02", "component 2 (\"02\") has a leading zero")]
    [InlineData("007", "leading zero")]
    [InlineData("01.2.3", "leading zero")]
    [InlineData("1.2-rc.1", "SemVer")]
    [InlineData("1.0.0-", "SemVer")]
    [InlineData("1.0.0-01", "SemVer")]
    [InlineData("latest", "SemVer")]
    [InlineData(" 1.0", "whitespace")]
    [InlineData("1.0\n", "whitespace")]
    public void Parse_Invalid_SaysWhy(string text, string because)
    {
        var v = PlanVersion.Parse(text);
        Assert.False(v.IsValid);
        Assert.Equal(PlanVersionForm.Invalid, v.Form);
        Assert.Contains(because, v.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLong_IsInvalid()
    {
        var v = PlanVersion.Parse(new string('1', PlanVersion.MaxLength + 1));
        Assert.False(v.IsValid);
        Assert.Contains("longer than", v.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3", true, "3")]
    [InlineData("0", true, "0")]
    [InlineData("\"1.2.3\"", true, "1.2.3")]
    [InlineData("-1", false, "negative")]
    [InlineData("1.5", false, "fraction")]
    [InlineData("1e3", false, "fraction or exponent")]
    [InlineData("true", false, "string or a non-negative integer")]
    [InlineData("[1]", false, "string or a non-negative integer")]
    public void FromJson_AcceptsStringsAndNonNegativeIntegers(string json, bool valid, string expected)
    {
        var v = PlanVersion.FromJson(JsonNode.Parse(json));
        Assert.Equal(valid, v.IsValid);
        Assert.Contains(expected, valid ? v.Text : v.Error!, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_Null_IsMissing()
    {
        Assert.Same(PlanVersion.Missing, PlanVersion.FromJson(null));
        Assert.Contains("missing", PlanVersion.Missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonInteger_EqualsTheSameString()
    {
        Assert.Equal(PlanVersion.Parse("3"), PlanVersion.FromJson(JsonValue.Create(3)));
        Assert.Equal(0, PlanVersion.ComparePrecedence(PlanVersion.Parse("3"), PlanVersion.FromJson(JsonValue.Create(3))));
    }

    /// <summary>Each row: lower &lt; higher.</summary>
    [Theory]
    // the original's cases
    [InlineData("1", "2")]
    [InlineData("2", "10")]
    [InlineData("1.0", "1.1")]
    [InlineData("1.1", "1.1.0")]
    [InlineData("1.9", "2.0")]
    // numeric, not lexical
    [InlineData("1.9", "1.10")]
    [InlineData("1.2.9", "1.2.10")]
    [InlineData("9", "10")]
    [InlineData("99999999999999999999", "100000000000000000000")]
    // SemVer 2.0 §11 pre-release precedence
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-alpha.beta", "1.0.0-beta")]
    [InlineData("1.0.0-beta", "1.0.0-beta.2")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-beta.11", "1.0.0-rc.1")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.0.0-rc.9", "1.0.0-rc.10")]
    [InlineData("1.0.0-1", "1.0.0-alpha")]
    [InlineData("0.9.9", "1.0.0-alpha")]
    // mixes of integer, dotted and semver
    [InlineData("1", "1.0.1")]
    [InlineData("1.2.3", "1.2.3.1")]
    [InlineData("1.2.3", "1.3")]
    [InlineData("2.0.0-rc.1", "2")]
    [InlineData("1.0.0-rc.1", "1.0")]
    [InlineData("1.99.99", "2")]
    [InlineData("3", "3.0")]
    [InlineData("3.0", "3.0.0")]
    [InlineData("3.0.0", "3.0.0.0")]
    [InlineData("1.2.3.4", "1.2.3.5")]
    [InlineData("1.2.3.4", "2.0.0-alpha")]
    // invalid ranks lowest
    [InlineData("garbage", "0")]
    [InlineData("v9.9.9", "0.0.0-0")]
    public void ComparePrecedence_Orders(string lower, string higher)
    {
        var a = PlanVersion.Parse(lower);
        var b = PlanVersion.Parse(higher);
        Assert.True(PlanVersion.ComparePrecedence(a, b) < 0, $"expected {lower} < {higher}");
        Assert.True(PlanVersion.ComparePrecedence(b, a) > 0, $"expected {higher} > {lower}");
    }

    [Theory]
    [InlineData("1.0.0+a", "1.0.0+b")]
    [InlineData("1.0.0-rc.1+a", "1.0.0-rc.1")]
    [InlineData("garbage", "v1")]
    [InlineData("", "1..2")]
    public void ComparePrecedence_Ties(string x, string y)
    {
        Assert.Equal(0, PlanVersion.ComparePrecedence(PlanVersion.Parse(x), PlanVersion.Parse(y)));
        Assert.NotEqual(PlanVersion.Parse(x), PlanVersion.Parse(y));
    }

    [Fact]
    public void ComparePrecedence_IsATotalPreorderOverMixedForms()
    {
        string[] texts =
        [
            "0", "1", "1.0", "1.0.0", "1.0.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
            "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0+build", "1.0.1", "1.1", "1.2.3.4", "1.10", "2",
            "2.0.0-rc.1", "10", "x", "", "1.01", "0.0.0-0",
        ];
        var versions = texts.Select(PlanVersion.Parse).ToArray();
        foreach (var a in versions)
        {
            Assert.Equal(0, PlanVersion.ComparePrecedence(a, a));
            foreach (var b in versions)
            {
                var ab = Math.Sign(PlanVersion.ComparePrecedence(a, b));
                Assert.True(ab == -Math.Sign(PlanVersion.ComparePrecedence(b, a)), $"antisymmetry fails for \"{a.Text}\" and \"{b.Text}\"");
                foreach (var c in versions)
                {
                    if (ab <= 0 && PlanVersion.ComparePrecedence(b, c) <= 0)
                    {
                        Assert.True(PlanVersion.ComparePrecedence(a, c) <= 0, $"transitivity fails: \"{a.Text}\" <= \"{b.Text}\" <= \"{c.Text}\"");
                    }
                }
            }
        }

        var sorted = versions.OrderBy(v => v, PlanVersion.PrecedenceComparer).Select(v => v.Text).Where(t => PlanVersion.Parse(t).IsValid).ToArray();
        Assert.Equal(
            ["0.0.0-0", "0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
             "1", "1.0", "1.0.0", "1.0.0+build", "1.0.0.0", "1.0.1", "1.1", "1.2.3.4", "1.10", "2.0.0-rc.1", "2", "10"],
            sorted);
    }
}
