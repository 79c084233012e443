namespace ControlPlane.Client;

/// <summary>Splits "group/version" (or "version" for the core group) without validating either part.</summary>
internal static class ApiVersions
{
    public static (string Group, string Version) Split(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
