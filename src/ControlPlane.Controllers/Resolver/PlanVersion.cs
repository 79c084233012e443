using System.Collections.Immutable;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Validation;
using Semver;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// A Plan's <c>spec.version</c>, parsed into one total order across three spellings: plain integers
/// (<c>3</c>), dotted numbers (<c>1.2</c>, <c>1.2.3.4</c>) and SemVer 2.0 (<c>1.0.0-rc.1+build</c>).
/// </summary>
/// <remarks>
/// <para><see cref="ComparePrecedence"/> ranks versions by these rules, each applied only when the ones before tie:</para>
/// <list type="number">
/// <item>Every invalid or missing version ranks below every valid one; invalid versions tie with each other.</item>
/// <item>Numeric components compare left to right as unbounded integers, a missing component counting as 0:
/// <c>1.10 &gt; 1.9</c>, <c>2 &gt; 1.99.99</c>, and <c>3</c>, <c>3.0</c>, <c>3.0.0</c> tie at this step.</item>
/// <item>A pre-release ranks below the release with the same numbers (<c>1.0.0-rc.1 &lt; 1.0.0</c>, also
/// <c>&lt; 1.0</c>); two pre-releases compare by SemVer 2.0 §11: identifier by identifier, numeric identifiers
/// by value and below alphanumeric ones, alphanumeric ones by ASCII order, a shorter list first when it is a
/// prefix of the longer: <c>alpha &lt; alpha.1 &lt; beta &lt; rc.1 &lt; rc.2 &lt; rc.10</c>.</item>
/// <item>The spelling with more components ranks higher: <c>3 &lt; 3.0 &lt; 3.0.0 &lt; 3.0.0.0</c>, so two
/// different spellings of one number never tie.</item>
/// </list>
/// <para>Build metadata (<c>+...</c>) is ignored: <c>1.0.0+a</c> and <c>1.0.0+b</c> tie, and the Plan tie-break decides.
/// Two valid versions tie only when they differ in build metadata alone.</para>
/// <para>Numeric components never have leading zeros (<c>1.01</c> is ambiguous, so it is invalid, as in SemVer).
/// Pre-release and build parts need the full SemVer triple (<c>1.2-rc.1</c> is invalid). A JSON integer
/// <c>3</c> is the same version as the string <c>"3"</c>; a JSON number with a fraction is invalid because
/// <c>1.10</c> would silently become <c>1.1</c>.</para>
/// Equality (<see cref="Equals(PlanVersion?)"/>) is exact spelling, not precedence.
/// </remarks>
public sealed class PlanVersion : IEquatable<PlanVersion>
{
    /// <summary>Longer version strings are refused rather than parsed.</summary>
    public const int MaxLength = 256;

    private static readonly ImmutableArray<PrereleaseIdentifier> NoPrerelease = [];

    private readonly ImmutableArray<BigInteger> _components;
    private readonly ImmutableArray<PrereleaseIdentifier> _prerelease;

    private PlanVersion(string text, PlanVersionForm form, ImmutableArray<BigInteger> components, ImmutableArray<PrereleaseIdentifier> prerelease, string? error)
    {
        Text = text;
        Form = form;
        _components = components;
        _prerelease = prerelease;
        Error = error;
    }

    /// <summary>Compares by <see cref="ComparePrecedence"/>.</summary>
    public static IComparer<PlanVersion> PrecedenceComparer { get; } = Comparer<PlanVersion>.Create(ComparePrecedence);

    /// <summary>The version as written (a JSON integer is written in its decimal form); empty when missing.</summary>
    public string Text { get; }

    public PlanVersionForm Form { get; }

    public bool IsValid => Form != PlanVersionForm.Invalid;

    public bool IsPrerelease => _prerelease.Length > 0;

    /// <summary>Why the version is invalid; null when valid.</summary>
    public string? Error { get; }

    /// <summary>The version of a Plan with no <c>spec.version</c>.</summary>
    public static PlanVersion Missing { get; } = Invalid(string.Empty, "spec.version is missing");

    /// <summary>Parses any string; never throws. An invalid version carries its <see cref="Error"/>.</summary>
    public static PlanVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return Invalid(text, "version is empty");
        if (text.Length > MaxLength) return Invalid(text, $"version is longer than {MaxLength} characters");
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) return Invalid(text, "version contains whitespace or control characters");
        }

        if (IsDigitsAndDots(text)) return ParseNumeric(text);
        try
        {
            var semver = SemVersion.Parse(text, SemVersionStyles.Strict, MaxLength);
            return new PlanVersion(text, PlanVersionForm.SemVer, [semver.Major, semver.Minor, semver.Patch], [.. semver.PrereleaseIdentifiers], null);
        }
        catch (FormatException e)
        {
            return Invalid(text, $"not an integer, a dotted number or a SemVer 2.0 version ({e.Message.TrimEnd('.')})");
        }
        catch (OverflowException e)
        {
            return Invalid(text, e.Message);
        }
    }

    /// <summary>
    /// Reads <c>spec.version</c>: absent or null is <see cref="Missing"/>, a string is parsed, a non-negative
    /// JSON integer is an <see cref="PlanVersionForm.Integer"/>; any other JSON value is invalid.
    /// </summary>
    public static PlanVersion FromJson(JsonNode? node)
    {
        if (node is null) return Missing;
        switch (node.GetValueKind())
        {
            case JsonValueKind.String:
                return Parse(node.GetValue<string>());
            case JsonValueKind.Number:
                var raw = node.ToJsonString();
                if (raw.Length > 0 && raw.All(char.IsAsciiDigit)) return ParseNumeric(raw);
                return Invalid(raw, raw.StartsWith('-')
                    ? "version must not be negative"
                    : "a JSON number with a fraction or exponent is not a version (1.10 would read as 1.1); quote it as a string");
            default:
                return Invalid(node.ToJsonString(), $"version must be a string or a non-negative integer, got {ObjectValidator.Describe(node)}");
        }
    }

    /// <summary>
    /// Negative when <paramref name="a"/> ranks below <paramref name="b"/>, zero when they tie, positive when it
    /// ranks above. A total preorder; the rules are in the type's remarks.
    /// </summary>
    public static int ComparePrecedence(PlanVersion? a, PlanVersion? b)
    {
        a ??= Missing;
        b ??= Missing;
        if (!a.IsValid || !b.IsValid) return a.IsValid.CompareTo(b.IsValid);
        var length = Math.Max(a._components.Length, b._components.Length);
        for (var i = 0; i < length; i++)
        {
            var c = Component(a, i).CompareTo(Component(b, i));
            if (c != 0) return c;
        }

        var p = ComparePrerelease(a._prerelease, b._prerelease);
        return p != 0 ? p : a._components.Length.CompareTo(b._components.Length);
    }

    public bool Equals(PlanVersion? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal) && Form == other.Form;

    public override bool Equals(object? obj) => Equals(obj as PlanVersion);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => IsValid ? Text : $"{Text} (invalid: {Error})";

    private static BigInteger Component(PlanVersion v, int i) => i < v._components.Length ? v._components[i] : BigInteger.Zero;

    /// <summary>A release (no identifiers) ranks above any pre-release; otherwise SemVer 2.0 §11.4.</summary>
    private static int ComparePrerelease(ImmutableArray<PrereleaseIdentifier> a, ImmutableArray<PrereleaseIdentifier> b)
    {
        if (a.Length == 0 || b.Length == 0) return b.Length.CompareTo(a.Length);
        var shared = Math.Min(a.Length, b.Length);
        for (var i = 0; i < shared; i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0) return c;
        }

        return a.Length.CompareTo(b.Length);
    }

    private static PlanVersion ParseNumeric(string text)
    {
        var parts = text.Split('.');
        var components = ImmutableArray.CreateBuilder<BigInteger>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0) return Invalid(text, $"component {i + 1} is empty");
            if (!part.All(char.IsAsciiDigit)) return Invalid(text, $"component {i + 1} (\"{part}\") is not a non-negative integer");
            if (part.Length > 1 && part[0] == '0') return Invalid(text, $"component {i + 1} (\"{part}\") has a leading zero");
            components.Add(BigInteger.Parse(part, System.Globalization.CultureInfo.InvariantCulture));
        }

        var form = parts.Length switch
        {
            1 => PlanVersionForm.Integer,
            3 => PlanVersionForm.SemVer,
            _ => PlanVersionForm.Dotted,
        };
        return new PlanVersion(text, form, components.MoveToImmutable(), NoPrerelease, null);
    }

    private static bool IsDigitsAndDots(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c != '.') return false;
        }

        return true;
    }

    private static PlanVersion Invalid(string text, string error) => new(text, PlanVersionForm.Invalid, [], NoPrerelease, error);
}
