namespace ControlPlane.Node.Security;

/// <summary>
/// The files that hold secrets (the token file, the member's private key). A node refuses one that other users may
/// read or change, or that its group may change, as OpenSSH and PostgreSQL refuse a readable private key; a file its
/// group may read (0640, a root-owned file shared with the service's group) is allowed with a warning.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OtherAccess = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode GroupChange = UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    /// <summary>Throws when <paramref name="path"/> is open to other users or changeable by its group.</summary>
    /// <param name="what">What the file is, for the message (e.g. "token file").</param>
    /// <exception cref="InvalidDataException">The file's mode gives away the secret; the message names the fix.</exception>
    public static void RequirePrivate(string path, string what)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & (OtherAccess | GroupChange)) != 0)
        {
            var who = (mode & OtherAccess) != 0 ? "other users" : "its group";
            throw new InvalidDataException($"{what} {path} is open to {who} (mode {Octal(mode)}) and holds secrets; make it private: chmod 600 {path}");
        }
    }

    /// <summary>A warning when <paramref name="path"/> is readable by its group (allowed), else null.</summary>
    public static string? GroupReadWarning(string path, string what)
    {
        if (OperatingSystem.IsWindows()) return null;
        var mode = File.GetUnixFileMode(path);
        return (mode & UnixFileMode.GroupRead) != 0
            ? $"{what} {path} is readable by its group (mode {Octal(mode)}); every member of that group can read its secrets"
            : null;
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
}
