using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>One page of a list.</summary>
/// <param name="Items">The objects, ordered by namespace then name.</param>
/// <param name="ResourceVersion">The store's revision for this list: watch from here for a gap-free view.</param>
/// <param name="ContinueToken">Pass to the next call for the next page; null on the last page.</param>
/// <param name="RemainingItemCount">How many objects the following pages hold (0 on the last page).</param>
public sealed record ResourceList(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? ContinueToken, long RemainingItemCount);
