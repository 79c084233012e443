namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>A chaos scenario failed; the message names the seed and the folder with its evidence.</summary>
public sealed class ChaosScenarioFailedException : Exception
{
    public ChaosScenarioFailedException()
    {
    }

    public ChaosScenarioFailedException(string message)
        : base(message)
    {
    }

    public ChaosScenarioFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ChaosScenarioFailedException(string message, string resultsFolder, Exception innerException)
        : base(message, innerException)
    {
        ResultsFolder = resultsFolder;
    }

    /// <summary>Where the history, logs and seed of the failed run were kept.</summary>
    public string? ResultsFolder { get; }
}
