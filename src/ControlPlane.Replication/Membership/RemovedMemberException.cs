namespace ControlPlane.Replication.Membership;

/// <summary>Thrown at start when the data directory belongs to a member that was removed from its cluster.</summary>
public sealed class RemovedMemberException : Exception
{
    public RemovedMemberException(string dataDirectory, RemovalMarker marker)
        : base($"data directory {dataDirectory} belongs to a member that was {marker.Describe()}. A removed member cannot rejoin with its old data: " +
               $"wipe the directory (delete {dataDirectory}), start the node again with no initial members, and add it with `cpctl member add`")
    {
        DataDirectory = dataDirectory;
        Marker = marker;
    }

    public RemovedMemberException()
        : this("(unknown)", new RemovalMarker(0, "unknown", "unknown", 0))
    {
    }

    public RemovedMemberException(string message)
        : base(message)
    {
        DataDirectory = string.Empty;
        Marker = new RemovalMarker(0, "unknown", message, 0);
    }

    public RemovedMemberException(string message, Exception innerException)
        : base(message, innerException)
    {
        DataDirectory = string.Empty;
        Marker = new RemovalMarker(0, "unknown", message, 0);
    }

    public string DataDirectory { get; }

    public RemovalMarker Marker { get; }
}
