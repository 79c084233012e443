namespace ControlPlane.Client;

/// <summary>
/// Where a received object came from, for the message of an error about it. Formatted only when such an error is raised:
/// a watch delivers thousands of events a second, and a description string for each would be most of what it allocates.
/// </summary>
/// <param name="Operation">What returned the object, e.g. <c>Get</c>, or <c>watch event</c> for a watch.</param>
/// <param name="Endpoint">The member that sent it, when the operation does not already say.</param>
/// <param name="ResourceVersion">For a watch event, the commit it belongs to.</param>
internal readonly record struct ObjectOrigin(string Operation, string? Endpoint = null, long ResourceVersion = 0)
{
    public static implicit operator ObjectOrigin(string operation) => new(operation);

    public override string ToString() => Endpoint is null ? Operation : $"{Endpoint} {Operation} at {ResourceVersion}";
}
