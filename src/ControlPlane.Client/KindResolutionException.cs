namespace ControlPlane.Client;

/// <summary>What a person typed names no kind, or more than one.</summary>
public sealed class KindResolutionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KindResolutionException()
        : this("the kind could not be resolved")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to type instead.</param>
    public KindResolutionException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to type instead.</param>
    /// <param name="innerException">The cause.</param>
    public KindResolutionException(string message, Exception innerException)
        : base(message, innerException) => Candidates = [];

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to type instead.</param>
    /// <param name="candidates">The fully qualified kinds it could have meant (<c>Goal.v1.example.com</c>).</param>
    public KindResolutionException(string message, IReadOnlyList<string> candidates)
        : base(message) => Candidates = candidates;

    /// <summary>For an ambiguous name: every kind it matched, fully qualified.</summary>
    public IReadOnlyList<string> Candidates { get; }
}
