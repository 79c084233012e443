namespace ControlPlane.IntegrationTests;

/// <summary>Multi-process clusters share two cores: run one test class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "Integration";
}
