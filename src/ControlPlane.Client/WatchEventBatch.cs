namespace ControlPlane.Client;

/// <summary>
/// What a watch delivers, in commit order: the events of one commit (all of them, never split), or with
/// <see cref="WatchRequest.CoalesceCommits"/> of one or more consecutive commits, or a bookmark promising that every
/// matching event up to <see cref="ResourceVersion"/> has been delivered.
/// </summary>
/// <param name="ResourceVersion">
/// The (last) commit these events belong to, or the bookmark's position. Start a later watch from the last one you
/// processed to continue without gaps or repeats.
/// </param>
/// <param name="Events">The commit's events (one per object it changed that the watch selects); empty for a bookmark.</param>
/// <param name="IsBookmark">True for a bookmark.</param>
/// <param name="Endpoint">The member that served it (it changes when the watch fails over).</param>
public sealed record WatchEventBatch(string ResourceVersion, IReadOnlyList<WatchEvent> Events, bool IsBookmark, string Endpoint);
