using System.Diagnostics.CodeAnalysis;

namespace ControlPlane.Core.Validation;

/// <summary>Kubernetes naming rules (DNS-1123).</summary>
public static class NameRules
{
    public const int MaxSubdomainLength = 253;
    public const int MaxLabelLength = 63;

    /// <summary>
    /// DNS-1123 subdomain: dot-separated parts of lowercase alphanumerics and '-', each starting and ending
    /// alphanumeric, at most 253 in all. As in Kubernetes, a part is not limited to 63 characters.
    /// </summary>
    public static bool IsDns1123Subdomain(string value, [NotNullWhen(false)] out string? error) => IsDns1123Subdomain(value.AsSpan(), out error);

    /// <summary>Checked in place: a write checks its names on every member, so no part becomes a string of its own.</summary>
    private static bool IsDns1123Subdomain(ReadOnlySpan<char> value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > MaxSubdomainLength) error = $"must be at most {MaxSubdomainLength} characters (got {value.Length})";
        else
        {
            foreach (var range in value.Split('.'))
            {
                var part = value[range];
                error = part.Length == 0
                    ? "must not have an empty dot-separated part (a leading, trailing or doubled '.')"
                    : CheckLabelCharacters(part, "lowercase alphanumeric characters, '-' or '.'", "each dot-separated part ");
                if (error is not null) break;
            }
        }

        return error is null;
    }

    /// <summary>DNS-1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63.</summary>
    public static bool IsDns1123Label(string value, [NotNullWhen(false)] out string? error) => IsDns1123Label(value.AsSpan(), out error);

    private static bool IsDns1123Label(ReadOnlySpan<char> value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > MaxLabelLength) error = $"must be at most {MaxLabelLength} characters (got {value.Length})";
        else error = CheckLabelCharacters(value, "lowercase alphanumeric characters or '-'", string.Empty);
        return error is null;
    }

    /// <summary>A kind: an ASCII letter followed by letters and digits, at most 63.</summary>
    public static bool IsKind(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > MaxLabelLength) error = $"must be at most {MaxLabelLength} characters (got {value.Length})";
        else if (!char.IsAsciiLetter(value[0])) error = "must start with a letter";
        else
        {
            foreach (var c in value)
            {
                if (char.IsAsciiLetterOrDigit(c)) continue;
                error = $"must consist of letters and digits only (found '{c}')";
                break;
            }
        }

        return error is null;
    }

    /// <summary>An apiVersion: "version" or "group/version", the group a DNS-1123 subdomain, the version a DNS-1123 label.</summary>
    public static bool IsApiVersion(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0)
        {
            error = "must not be empty";
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!IsDns1123Subdomain(value.AsSpan(0, slash), out var groupError)) error = $"group {groupError}";
            else if (!IsDns1123Label(value.AsSpan(slash + 1), out var versionError)) error = $"version {versionError}";
        }
        else if (!IsDns1123Label(value, out var versionError))
        {
            error = $"version {versionError}";
        }

        return error is null;
    }

    private static string? CheckLabelCharacters(ReadOnlySpan<char> part, string allowed, string subject)
    {
        foreach (var c in part)
        {
            if (!IsLowerAlnum(c) && c != '-') return $"must consist of {allowed} (found '{c}')";
        }

        return part[0] == '-' || part[^1] == '-' ? $"{subject}must start and end with a lowercase alphanumeric character" : null;
    }

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
