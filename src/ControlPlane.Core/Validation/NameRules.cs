using System.Diagnostics.CodeAnalysis;

namespace ControlPlane.Core.Validation;

/// <summary>Kubernetes naming rules (DNS-1123).</summary>
public static class NameRules
{
    public const int MaxSubdomainLength = 253;
    public const int MaxLabelLength = 63;

    /// <summary>DNS-1123 subdomain: lowercase alphanumerics, '-' and '.', starting and ending alphanumeric, at most 253.</summary>
    public static bool IsDns1123Subdomain(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > MaxSubdomainLength) error = $"must be at most {MaxSubdomainLength} characters (got {value.Length})";
        else
        {
            foreach (var part in value.Split('.'))
            {
                if (!IsDns1123Label(part, out var partError))
                {
                    error = "must be lowercase alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
                        + (part.Length > MaxLabelLength ? $" (a dot-separated part is longer than {MaxLabelLength})" : string.Empty);
                    _ = partError;
                    break;
                }
            }
        }

        return error is null;
    }

    /// <summary>DNS-1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63.</summary>
    public static bool IsDns1123Label(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > MaxLabelLength) error = $"must be at most {MaxLabelLength} characters (got {value.Length})";
        else if (!IsLowerAlnum(value[0]) || !IsLowerAlnum(value[^1])) error = "must start and end with a lowercase alphanumeric character";
        else
        {
            foreach (var c in value)
            {
                if (!IsLowerAlnum(c) && c != '-')
                {
                    error = $"must consist of lowercase alphanumeric characters or '-' (found '{c}')";
                    break;
                }
            }
        }

        return error is null;
    }

    /// <summary>A kind: an ASCII letter followed by letters and digits, at most 63.</summary>
    public static bool IsKind(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > MaxLabelLength) error = $"must be at most {MaxLabelLength} characters";
        else if (!char.IsAsciiLetter(value[0])) error = "must start with a letter";
        else if (!value.All(char.IsAsciiLetterOrDigit)) error = "must consist of letters and digits only";
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
            if (!IsDns1123Subdomain(value[..slash], out var groupError)) error = $"group {groupError}";
            else if (!IsDns1123Label(value[(slash + 1)..], out var versionError)) error = $"version {versionError}";
        }
        else if (!IsDns1123Label(value, out var versionError))
        {
            error = $"version {versionError}";
        }

        return error is null;
    }

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
