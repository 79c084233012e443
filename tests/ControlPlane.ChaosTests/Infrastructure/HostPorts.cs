using System.Net;
using System.Net.Sockets;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// Free TCP ports on 127.0.0.1, chosen once per member so that published ports stay the same across kills, restarts
/// and pauses (random Docker ports change on every start). The small race with other processes is accepted; ports
/// are never handed out twice by this process.
/// </summary>
internal static class HostPorts
{
    private static readonly HashSet<int> _handedOut = [];
    private static readonly Lock _gate = new();

    public static int Allocate()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (_gate)
            {
                if (_handedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free TCP port on 127.0.0.1 after 100 attempts.");
    }
}
