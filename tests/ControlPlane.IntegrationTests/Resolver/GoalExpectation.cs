namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>What a Goal's status must end as: the generation it describes and the Plan it names (phase Ready).</summary>
internal sealed record GoalExpectation(long Generation, string Plan);
