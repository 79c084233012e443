using ControlPlane.Core.Selectors;

namespace ControlPlane.Core.Tests.Selectors;

public class LabelSelectorTests
{
    [Theory]
    [InlineData("a=b", "a", SelectorOperator.Equals, "b")]
    [InlineData("a==b", "a", SelectorOperator.Equals, "b")]
    [InlineData("a!=b", "a", SelectorOperator.NotEquals, "b")]
    [InlineData("a in (x)", "a", SelectorOperator.In, "x")]
    [InlineData("a in (x,y,z)", "a", SelectorOperator.In, "x|y|z")]
    [InlineData("a in (x,)", "a", SelectorOperator.In, "x|")]
    [InlineData("a notin (x,y)", "a", SelectorOperator.NotIn, "x|y")]
    [InlineData("a", "a", SelectorOperator.Exists, "")]
    [InlineData("!a", "a", SelectorOperator.DoesNotExist, "")]
    [InlineData("a=", "a", SelectorOperator.Equals, "<empty>")]
    [InlineData("a!=", "a", SelectorOperator.NotEquals, "<empty>")]
    [InlineData("example.com/app=web", "example.com/app", SelectorOperator.Equals, "web")]
    [InlineData("app.kubernetes.io/name in (my-app,other.app,a_b)", "app.kubernetes.io/name", SelectorOperator.In, "my-app|other.app|a_b")]
    [InlineData("tier=Front-End.v1_2", "tier", SelectorOperator.Equals, "Front-End.v1_2")]
    [InlineData("!example.com/gone", "example.com/gone", SelectorOperator.DoesNotExist, "")]
    [InlineData("in", "in", SelectorOperator.Exists, "")]
    [InlineData("  a  =  b  ", "a", SelectorOperator.Equals, "b")]
    [InlineData("a == b", "a", SelectorOperator.Equals, "b")]
    [InlineData("a != b", "a", SelectorOperator.NotEquals, "b")]
    [InlineData("\ta\tin\t(\tx\t,\ty\t)\t", "a", SelectorOperator.In, "x|y")]
    [InlineData("a in(x)", "a", SelectorOperator.In, "x")]
    [InlineData("a notin ( x , y )", "a", SelectorOperator.NotIn, "x|y")]
    [InlineData(" ! a ", "a", SelectorOperator.DoesNotExist, "")]
    public void Parse_OneRequirement_ReadsKeyOperatorAndValues(string text, string key, SelectorOperator op, string values)
    {
        var selector = LabelSelector.Parse(text);

        var requirement = Assert.Single(selector.Requirements);
        Assert.Equal(key, requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal(SplitValues(values), requirement.Values);
        Assert.False(selector.IsEverything);
    }

    [Fact]
    public void Parse_MultipleRequirements_KeepsThemInOrder()
    {
        var selector = LabelSelector.Parse("a=b, c!=d ,e in (f,g),!h,  i , j notin (k)");

        Assert.Equal(
            [
                ("a", SelectorOperator.Equals, "b"),
                ("c", SelectorOperator.NotEquals, "d"),
                ("e", SelectorOperator.In, "f|g"),
                ("h", SelectorOperator.DoesNotExist, string.Empty),
                ("i", SelectorOperator.Exists, string.Empty),
                ("j", SelectorOperator.NotIn, "k"),
            ],
            selector.Requirements.Select(r => (r.Key, r.Operator, string.Join('|', r.Values))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Parse_EmptyText_ReturnsEverything(string? text)
    {
        var selector = LabelSelector.Parse(text);

        Assert.Same(LabelSelector.Everything, selector);
        Assert.True(selector.IsEverything);
        Assert.Empty(selector.Requirements);
        Assert.Equal(string.Empty, selector.ToString());
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "a=b;c=d", true)]
    [InlineData("a=b", "a=b", true)]
    [InlineData("a=b", "a=b;x=y", true)]
    [InlineData("a=b", "a=c", false)]
    [InlineData("a=b", "", false)]
    [InlineData("a=b", "A=b", false)]
    [InlineData("a=b", "a=B", false)]
    [InlineData("a==b", "a=b", true)]
    [InlineData("a==b", "a=c", false)]
    [InlineData("a!=b", "a=b", false)]
    [InlineData("a!=b", "a=c", true)]
    [InlineData("a!=b", "", true)]
    [InlineData("a in (x,y)", "a=y", true)]
    [InlineData("a in (x,y)", "a=x", true)]
    [InlineData("a in (x,y)", "a=z", false)]
    [InlineData("a in (x,y)", "b=x", false)]
    [InlineData("a notin (x,y)", "a=x", false)]
    [InlineData("a notin (x,y)", "a=z", true)]
    [InlineData("a notin (x,y)", "b=x", true)]
    [InlineData("a", "a=", true)]
    [InlineData("a", "a=x", true)]
    [InlineData("a", "b=a", false)]
    [InlineData("!a", "", true)]
    [InlineData("!a", "b=a", true)]
    [InlineData("!a", "a=", false)]
    [InlineData("a=", "a=", true)]
    [InlineData("a=", "a=b", false)]
    [InlineData("a=", "", false)]
    [InlineData("a=b,c=d", "a=b;c=d", true)]
    [InlineData("a=b,c=d", "a=b", false)]
    [InlineData("a=b,c=d", "c=d", false)]
    [InlineData("a=b,!c,d in (1,2),e notin (3)", "a=b;d=2;e=4", true)]
    [InlineData("a=b,!c,d in (1,2),e notin (3)", "a=b;d=2;e=3", false)]
    [InlineData("a=b,!c,d in (1,2),e notin (3)", "a=b;c=x;d=2", false)]
    [InlineData("example.com/app=web", "example.com/app=web", true)]
    [InlineData("example.com/app=web", "app=web", false)]
    [InlineData("example.com/app=web", "other.com/app=web", false)]
    public void Matches_Labels_FollowsKubernetesSemantics(string selector, string labels, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("a=b")]
    [InlineData("a!=b")]
    [InlineData("a=")]
    [InlineData("a in (x,y)")]
    [InlineData("a notin (x)")]
    [InlineData("a")]
    [InlineData("!a")]
    [InlineData("example.com/app=web-1.2_x,tier in (front.end,back-end),!example.com/gone,k8s.io/x")]
    public void ToString_CanonicalText_RoundTripsExactly(string text)
    {
        var selector = LabelSelector.Parse(text);

        Assert.Equal(text, selector.ToString());
        AssertSameRequirements(selector, LabelSelector.Parse(selector.ToString()));
    }

    [Theory]
    [InlineData("a==b", "a=b")]
    [InlineData("  a  !=  b ", "a!=b")]
    [InlineData("a in ( x , y )", "a in (x,y)")]
    [InlineData("a notin(x)", "a notin (x)")]
    [InlineData(" a , ! b ", "a,!b")]
    [InlineData("a==b,c in(d)", "a=b,c in (d)")]
    public void ToString_LooseText_WritesCanonicalFormThatParsesBack(string text, string canonical)
    {
        var selector = LabelSelector.Parse(text);

        Assert.Equal(canonical, selector.ToString());
        AssertSameRequirements(selector, LabelSelector.Parse(selector.ToString()));
    }

    [Theory]
    [InlineData(SelectorOperator.In, "a in (,)")]
    [InlineData(SelectorOperator.NotIn, "a notin (,)")]
    public void ToString_SetOfOnlyTheEmptyValue_WritesTextThatParsesToTheSameSet(SelectorOperator op, string expected)
    {
        var selector = LabelSelector.FromRequirements([new SelectorRequirement("a", op, [string.Empty])]);

        Assert.Equal(expected, selector.ToString());
        var reparsed = LabelSelector.Parse(selector.ToString());
        Assert.All(reparsed.Requirements.Single().Values, v => Assert.Equal(string.Empty, v));
        foreach (var labels in new[] { Labels(string.Empty), Labels("a="), Labels("a=x") })
        {
            Assert.Equal(selector.Matches(labels), reparsed.Matches(labels));
        }
    }

    [Theory]
    [InlineData("-a=b", "\"-a\"")]
    [InlineData("a-=b", "\"a-\"")]
    [InlineData("a/b/c=d", "\"a/b/c\"")]
    [InlineData("Example.com/app=x", "\"Example.com\"")]
    [InlineData("/app=x", "\"/app\"")]
    [InlineData("example.com/=x", "\"example.com/\"")]
    [InlineData("a=b/c", "\"b/c\"")]
    [InlineData("a=-b", "\"-b\"")]
    [InlineData("a in (x,-y)", "\"-y\"")]
    [InlineData("a ~ b", "\"~ b\"")]
    [InlineData("a!b", "\"!b\"")]
    [InlineData("a > 1", "\"> 1\"")]
    [InlineData("a foo (b)", "\"foo\"")]
    [InlineData("a innn (b)", "\"innn\"")]
    [InlineData("a in (x,y", "the end of the input")]
    [InlineData("a in (x y)", "\"y)\"")]
    [InlineData("a notin (x", "the end of the input")]
    [InlineData("a in ()", "\"()\"")]
    [InlineData("a notin ( )", "\"()\"")]
    [InlineData("a in x", "\"x\"")]
    [InlineData("a in", "the end of the input")]
    [InlineData("a notin x,y", "\"x,y\"")]
    [InlineData("a=b c", "\"c\"")]
    [InlineData("a=b)", "\")\"")]
    [InlineData("a=b=c", "\"=c\"")]
    [InlineData("a in (x))", "\")\"")]
    [InlineData("a=b;c=d", "\";c=d\"")]
    [InlineData("a=b,", "the end of the input")]
    [InlineData(",a=b", "\",a=b\"")]
    [InlineData("a=b,,c=d", "\",c=d\"")]
    [InlineData("!", "the end of the input")]
    [InlineData("!a=b", "\"=b\"")]
    [InlineData("=b", "\"=b\"")]
    public void Parse_InvalidSelector_ThrowsInvalidNamingTheOffendingToken(string text, string token)
    {
        InvalidAssert.Throws(() => LabelSelector.Parse(text), token);
    }

    [Fact]
    public void Parse_KeyNameLongerThan63_ThrowsInvalidNamingTheLimit()
    {
        var key = new string('k', 64);

        InvalidAssert.Throws(() => LabelSelector.Parse(key + "=v"), key, "63");
    }

    [Fact]
    public void Parse_ValueLongerThan63_ThrowsInvalidNamingTheLimit()
    {
        var value = new string('v', 64);

        InvalidAssert.Throws(() => LabelSelector.Parse("a in (x," + value + ")"), value, "63");
    }

    [Fact]
    public void Parse_KeyOf63AndValueOf63_IsAccepted()
    {
        var key = "example.com/" + new string('k', 63);
        var value = new string('v', 63);

        var selector = LabelSelector.Parse($"{key}={value}");

        Assert.True(selector.Matches(new Dictionary<string, string> { [key] = value }));
    }

    [Fact]
    public void TryParse_ValidText_ReturnsSelector()
    {
        Assert.True(LabelSelector.TryParse("a=b", out var selector, out var error));

        Assert.Null(error);
        Assert.Equal("a=b", selector.ToString());
    }

    [Fact]
    public void TryParse_InvalidText_ReturnsTheParseErrorMessage()
    {
        var expected = Assert.Throws<Errors.ControlPlaneException>(() => LabelSelector.Parse("a in x")).Message;

        Assert.False(LabelSelector.TryParse("a in x", out var selector, out var error));

        Assert.Null(selector);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void FromLabels_Labels_BuildsSortedEqualityRequirements()
    {
        var selector = LabelSelector.FromLabels(Labels("b=2;example.com/a=1;a="));

        Assert.Equal("a=,b=2,example.com/a=1", selector.ToString());
        Assert.All(selector.Requirements, r => Assert.Equal(SelectorOperator.Equals, r.Operator));
    }

    [Theory]
    [InlineData("a=1;b=2", true)]
    [InlineData("a=1;b=2;c=3", true)]
    [InlineData("a=1", false)]
    [InlineData("a=1;b=3", false)]
    public void FromLabels_Matches_RequiresEveryLabel(string labels, bool expected)
    {
        var selector = LabelSelector.FromLabels(Labels("a=1;b=2"));

        Assert.Equal(expected, selector.Matches(Labels(labels)));
    }

    [Fact]
    public void FromLabels_Empty_ReturnsEverything()
    {
        Assert.Same(LabelSelector.Everything, LabelSelector.FromLabels(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("-a", "x", "\"-a\"")]
    [InlineData("a", "x y", "\"x y\"")]
    public void FromLabels_InvalidLabel_ThrowsInvalid(string key, string value, string token)
    {
        InvalidAssert.Throws(() => LabelSelector.FromLabels(new Dictionary<string, string> { [key] = value }), token);
    }

    [Fact]
    public void FromRequirements_ValidRequirements_KeepsThemAndMatches()
    {
        var selector = LabelSelector.FromRequirements(
        [
            new SelectorRequirement("env", SelectorOperator.In, ["prod", "staging"]),
            new SelectorRequirement("example.com/canary", SelectorOperator.DoesNotExist, []),
        ]);

        Assert.Equal("env in (prod,staging),!example.com/canary", selector.ToString());
        Assert.True(selector.Matches(Labels("env=prod")));
        Assert.False(selector.Matches(Labels("env=prod;example.com/canary=")));
        Assert.False(selector.Matches(Labels("env=dev")));
    }

    [Fact]
    public void FromRequirements_None_ReturnsEverything()
    {
        Assert.Same(LabelSelector.Everything, LabelSelector.FromRequirements([]));
    }

    [Theory]
    [InlineData(SelectorOperator.Equals, "", "exactly one value")]
    [InlineData(SelectorOperator.Equals, "x|y", "exactly one value")]
    [InlineData(SelectorOperator.NotEquals, "", "exactly one value")]
    [InlineData(SelectorOperator.In, "", "at least one value")]
    [InlineData(SelectorOperator.NotIn, "", "at least one value")]
    [InlineData(SelectorOperator.Exists, "x", "no values")]
    [InlineData(SelectorOperator.DoesNotExist, "x", "no values")]
    public void FromRequirements_WrongNumberOfValues_ThrowsInvalid(SelectorOperator op, string values, string problem)
    {
        InvalidAssert.Throws(() => LabelSelector.FromRequirements([new SelectorRequirement("k", op, SplitValues(values))]), problem, "\"k\"");
    }

    [Theory]
    [InlineData("bad key", "x", "\"bad key\"")]
    [InlineData("k", "bad value", "\"bad value\"")]
    public void FromRequirements_InvalidKeyOrValue_ThrowsInvalid(string key, string value, string token)
    {
        InvalidAssert.Throws(() => LabelSelector.FromRequirements([new SelectorRequirement(key, SelectorOperator.In, ["ok", value])]), token);
    }

    private static void AssertSameRequirements(LabelSelector expected, LabelSelector actual) =>
        Assert.Equal(
            expected.Requirements.Select(r => (r.Key, r.Operator, string.Join('|', r.Values))),
            actual.Requirements.Select(r => (r.Key, r.Operator, string.Join('|', r.Values))));

    /// <summary>"x|y" is two values, "" none, and "&lt;empty&gt;" one empty value.</summary>
    private static string[] SplitValues(string values) => values switch
    {
        "" => [],
        "<empty>" => [string.Empty],
        _ => values.Split('|'),
    };

    /// <summary>"a=b;c=" is {a: b, c: ""}.</summary>
    private static Dictionary<string, string> Labels(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
