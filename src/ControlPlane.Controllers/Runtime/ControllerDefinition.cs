using System.Text.RegularExpressions;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// One controller as the runtime runs it: its name, what it watches and how changes become keys, its
/// reconciler, how many keys it reconciles at once and how often it re-checks everything.
/// </summary>
public sealed partial record ControllerDefinition
{
    public const int MaxWorkers = 64;

    /// <summary>A DNS-1123 label (lowercase letters, digits, '-'; at most 63 characters); unique per host.</summary>
    public required string Name { get; init; }

    public required IReconciler Reconciler { get; init; }

    /// <summary>At least one; typically the primary kind (<see cref="WatchSource.For"/>) plus mapped secondary kinds.</summary>
    public required IReadOnlyList<WatchSource> Watches { get; init; }

    /// <summary>Keys reconciled concurrently (never the same key twice at once). Default 2.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Every this often, every known key is enqueued again; <see cref="TimeSpan.Zero"/> disables it. Default 10 minutes.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    public WorkQueueOptions Queue { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Length > 63 || !NamePattern().IsMatch(Name))
        {
            throw new ArgumentException($"controller name \"{Name}\" must be a DNS-1123 label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
        }

        if (Reconciler is null) throw new ArgumentException($"controller {Name}: Reconciler is required");
        if (Watches is null || Watches.Count == 0) throw new ArgumentException($"controller {Name}: at least one watch source is required");
        for (var i = 0; i < Watches.Count; i++)
        {
            if (Watches[i] is null) throw new ArgumentException($"controller {Name}: watch source {i} is null");
            if (Watches[i].Map is null) throw new ArgumentException($"controller {Name}: watch source {Watches[i]} has no Map");
            if (string.IsNullOrEmpty(Watches[i].Kind.Kind) || string.IsNullOrEmpty(Watches[i].Kind.Version))
            {
                throw new ArgumentException($"controller {Name}: watch source {i} has no kind or version");
            }
        }

        if (Workers is < 1 or > MaxWorkers) throw new ArgumentException($"controller {Name}: Workers must be between 1 and {MaxWorkers}, got {Workers}");
        if (ResyncPeriod < TimeSpan.Zero) throw new ArgumentException($"controller {Name}: ResyncPeriod must not be negative, got {ResyncPeriod}");
        if (Queue is null) throw new ArgumentException($"controller {Name}: Queue options are required");
        Queue.Validate($"controller {Name}");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
