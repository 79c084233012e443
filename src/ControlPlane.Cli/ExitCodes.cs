namespace ControlPlane.Cli;

/// <summary>cpctl's exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The server refused or failed, or a file could not be read.</summary>
    public const int Error = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;
}
