using System.Diagnostics.CodeAnalysis;

namespace ControlPlane.Client;

/// <summary>Normalizes endpoint URLs so that configured endpoints and leader hints compare equal.</summary>
internal static class EndpointAddress
{
    /// <summary>
    /// Normalizes to <c>scheme://host:port</c> (lower case, no path). A value without a scheme, as a leader hint may be,
    /// is read as <c>http://</c>.
    /// </summary>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return false;
        if (string.IsNullOrEmpty(uri.Host) || uri.IsDefaultPort && !HasExplicitPort(text)) return false;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0) return false;
        normalized = $"{uri.Scheme}://{uri.Authority.ToLowerInvariant()}";
        return true;
    }

    private static bool HasExplicitPort(string text)
    {
        var authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        return authority.LastIndexOf(':') > authority.LastIndexOf(']');
    }
}
