namespace ControlPlane.Controllers.Runtime;

/// <summary>A point-in-time view of one controller on this node.</summary>
/// <param name="Name">The controller.</param>
/// <param name="Active">True while it runs (this node leads and its initial lists are done).</param>
/// <param name="Terms">Leadership terms it has started on this node.</param>
/// <param name="Queued">Keys ready for a worker.</param>
/// <param name="Processing">Keys being reconciled.</param>
/// <param name="Waiting">Keys waiting out a delay or backoff.</param>
/// <param name="Known">Objects in its views of the watched kinds.</param>
/// <param name="ResourceVersion">The oldest position its views are complete up to (0 before the first list).</param>
public sealed record ControllerStatus(string Name, bool Active, long Terms, int Queued, int Processing, int Waiting, int Known, long ResourceVersion);
