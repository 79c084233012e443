namespace ControlPlane.Bench.Targets;

/// <summary>One list page: how many objects it held and the revision to watch from.</summary>
public readonly record struct ListPage(int Count, long Revision);
