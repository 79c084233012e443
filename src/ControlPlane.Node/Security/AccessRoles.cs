namespace ControlPlane.Node.Security;

/// <summary>The fixed grant of each <see cref="AccessRole"/> and the names the token file uses for them.</summary>
public static class AccessRoles
{
    public static bool Allows(this AccessRole role, AccessVerb verb) => role switch
    {
        AccessRole.Reader => verb is AccessVerb.Read,
        AccessRole.Writer => verb is AccessVerb.Read or AccessVerb.Write,
        AccessRole.StatusWriter => verb is AccessVerb.Read or AccessVerb.WriteStatus,
        AccessRole.Admin => verb is not AccessVerb.Member,
        AccessRole.Member => true,
        _ => false,
    };

    public static string Name(this AccessRole role) => role switch
    {
        AccessRole.Reader => "reader",
        AccessRole.Writer => "writer",
        AccessRole.StatusWriter => "status-writer",
        AccessRole.Admin => "admin",
        AccessRole.Member => "member",
        _ => role.ToString(),
    };

    public static bool TryParse(string text, out AccessRole role)
    {
        foreach (var candidate in Enum.GetValues<AccessRole>())
        {
            if (string.Equals(candidate.Name(), text, StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
