using ControlPlane.Core.Validation;

namespace ControlPlane.Core.Tests.Validation;

public class LabelRulesTests
{
    public static TheoryData<string> ValidKeys => new()
    {
        "a",
        "app",
        "App",
        "a.b_c-d",
        "A1_b.C-2",
        "example.com/app",
        "app.kubernetes.io/name",
        "k8s.io/x",
        "a/b",
        new string('n', 63),
        "example.com/" + new string('n', 63),
        new string('p', 253) + "/a",
    };

    public static TheoryData<string, string> InvalidKeys => new()
    {
        { string.Empty, "name part must not be empty" },
        { "example.com/", "name part must not be empty" },
        { "/a", "prefix \"\" must not be empty" },
        { "-a", "name part must start and end" },
        { "a-", "name part must start and end" },
        { "_a", "name part must start and end" },
        { "a.", "name part must start and end" },
        { "a b", "name part must consist of" },
        { "a@b", "'@'" },
        { "a/b/c", "prefix \"a/b\"" },
        { "Example.com/a", "prefix \"Example.com\"" },
        { "ex_ample.com/a", "prefix \"ex_ample.com\"" },
        { "example.com/-a", "name part must start and end" },
        { new string('n', 64), "name part must be at most 63 characters (got 64)" },
        { "example.com/" + new string('n', 64), "name part must be at most 63" },
        { new string('p', 254) + "/a", "must be at most 253 characters (got 254)" },
    };

    [Theory]
    [MemberData(nameof(ValidKeys))]
    public void IsValidKey_ValidKey_ReturnsTrue(string key)
    {
        Assert.True(LabelRules.IsValidKey(key, out var error), error);
        Assert.Null(error);
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public void IsValidKey_InvalidKey_ReturnsFalseNamingThePart(string key, string problem)
    {
        Assert.False(LabelRules.IsValidKey(key, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    public static TheoryData<string> ValidValues => new()
    {
        string.Empty,
        "a",
        "A",
        "1",
        "a.b-c_d",
        "Front-End.v1_2",
        new string('v', 63),
    };

    public static TheoryData<string, string> InvalidValues => new()
    {
        { new string('v', 64), "at most 63 characters (got 64)" },
        { "-a", "start and end" },
        { "a-", "start and end" },
        { ".a", "start and end" },
        { "_", "start and end" },
        { "a b", "' '" },
        { "a/b", "'/'" },
        { "a@b", "'@'" },
        { "aéb", "'é'" },
    };

    [Theory]
    [MemberData(nameof(ValidValues))]
    public void IsValidValue_ValidValue_ReturnsTrue(string value)
    {
        Assert.True(LabelRules.IsValidValue(value, out var error), error);
        Assert.Null(error);
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void IsValidValue_InvalidValue_ReturnsFalseNamingTheProblem(string value, string problem)
    {
        Assert.False(LabelRules.IsValidValue(value, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }
}
