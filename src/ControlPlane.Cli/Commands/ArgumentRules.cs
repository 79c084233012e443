using System.CommandLine;

namespace ControlPlane.Cli.Commands;

/// <summary>Parser rules shared by the verbs' positional arguments.</summary>
internal static class ArgumentRules
{
    /// <summary>
    /// The parser hands an unknown option (<c>--bogus</c>) to an optional positional argument as its value; kinds and
    /// names never start with '-', so such a value is reported as the unknown option it is.
    /// </summary>
    public static Argument<T> RejectOptionLikeValues<T>(this Argument<T> argument)
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-') && token.Value.Length > 1)
                    result.AddError($"Unrecognized option '{token.Value}' (a {argument.Name} never starts with '-').");
            }
        });
        return argument;
    }
}
