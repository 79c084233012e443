using System.Net;
using System.Text.Json;

namespace ControlPlane.Replication.Membership;

/// <summary>
/// Names and gRPC endpoints of the members this node has heard of, and the members it saw removed, kept in
/// the data directory. Raft's configuration holds only Raft endpoints; this directory is what lets every node
/// show a member's name and forward to it while that member is down. It is filled from the initial members,
/// from the members' own metadata when they join, and by the leader from each add request. It never decides
/// who is a member: the committed Raft configuration does.
/// </summary>
public sealed class MemberDirectory
{
    private const string FileName = "member-directory.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;
    private readonly Lock _gate = new();
    private Dictionary<string, ClusterMember> _known = new(StringComparer.Ordinal);
    private Dictionary<string, RemovedMember> _removed = new(StringComparer.Ordinal);

    private MemberDirectory(string path) => _path = path;

    /// <summary>Loads the directory of a data directory (empty when there is none yet).</summary>
    public static MemberDirectory Load(string dataDirectory)
    {
        var directory = new MemberDirectory(Path.Combine(dataDirectory, FileName));
        if (!File.Exists(directory._path)) return directory;
        DirectoryFile? file;
        try
        {
            file = JsonSerializer.Deserialize<DirectoryFile>(File.ReadAllText(directory._path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{directory._path} is not a valid member directory: {e.Message}; delete it and the node rebuilds it from the members' metadata", e);
        }

        foreach (var entry in file?.Members ?? [])
        {
            if (IPEndPoint.TryParse(entry.RaftEndpoint, out var endpoint)) directory._known[Key(endpoint)] = new ClusterMember(entry.Name, endpoint, entry.GrpcEndpoint);
        }

        foreach (var entry in file?.Removed ?? [])
        {
            if (IPEndPoint.TryParse(entry.RaftEndpoint, out var endpoint)) directory._removed[Key(endpoint)] = new RemovedMember(entry.Name, endpoint, entry.ConfigurationIndex);
        }

        return directory;
    }

    /// <summary>What is known about a Raft endpoint, or null.</summary>
    public ClusterMember? Find(EndPoint endpoint)
    {
        lock (_gate)
        {
            return _known.GetValueOrDefault(Key(endpoint));
        }
    }

    /// <summary>The known member with this name among <paramref name="among"/>, or null.</summary>
    public ClusterMember? FindByName(string name, IEnumerable<EndPoint> among)
    {
        lock (_gate)
        {
            foreach (var endpoint in among)
            {
                if (_known.TryGetValue(Key(endpoint), out var member) && string.Equals(member.Name, name, StringComparison.Ordinal)) return member;
            }

            return null;
        }
    }

    /// <summary>The removal this node recorded for a Raft endpoint, or null (also after it was added again).</summary>
    public RemovedMember? FindRemoved(EndPoint endpoint)
    {
        lock (_gate)
        {
            return _removed.GetValueOrDefault(Key(endpoint));
        }
    }

    /// <summary>A removed member with this name, or null.</summary>
    public RemovedMember? FindRemovedByName(string name)
    {
        lock (_gate)
        {
            return _removed.Values.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
        }
    }

    /// <summary>Records (or updates) a member's name and gRPC endpoint; a member seen again is no longer "removed".</summary>
    public void Record(ClusterMember member)
    {
        lock (_gate)
        {
            var key = Key(member.RaftEndpoint);
            if (_known.TryGetValue(key, out var existing) && existing == member && !_removed.ContainsKey(key)) return;
            _known[key] = member;
            _removed.Remove(key);
            Save();
        }
    }

    /// <summary>Records that a member left the configuration at <paramref name="configurationIndex"/>.</summary>
    public void RecordRemoved(EndPoint endpoint, long configurationIndex)
    {
        lock (_gate)
        {
            var key = Key(endpoint);
            var name = _known.GetValueOrDefault(key)?.Name ?? string.Empty;
            if (_removed.TryGetValue(key, out var existing) && existing.ConfigurationIndex >= configurationIndex) return;
            _removed[key] = new RemovedMember(name, (IPEndPoint)endpoint, configurationIndex);
            Save();
        }
    }

    private static string Key(EndPoint endpoint) => endpoint.ToString() ?? string.Empty;

    private void Save()
    {
        var file = new DirectoryFile
        {
            Members = [.. _known.Values.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new DirectoryEntry { Name = m.Name, RaftEndpoint = m.RaftEndpoint.ToString(), GrpcEndpoint = m.GrpcEndpoint })],
            Removed = [.. _removed.Values.OrderBy(m => m.ConfigurationIndex).Select(m => new DirectoryEntry { Name = m.Name, RaftEndpoint = m.RaftEndpoint.ToString(), ConfigurationIndex = m.ConfigurationIndex })],
        };
        DurableFile.WriteAllText(_path, JsonSerializer.Serialize(file, Json));
    }

    private sealed class DirectoryFile
    {
        public List<DirectoryEntry> Members { get; set; } = [];

        public List<DirectoryEntry> Removed { get; set; } = [];
    }

    private sealed class DirectoryEntry
    {
        public string Name { get; set; } = string.Empty;

        public string RaftEndpoint { get; set; } = string.Empty;

        public string GrpcEndpoint { get; set; } = string.Empty;

        public long ConfigurationIndex { get; set; }
    }
}
