using System.Net;
using System.Net.Sockets;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>Free loopback ports, never handed out twice in one test run.</summary>
internal static class Ports
{
    private static readonly HashSet<int> Used = [];

    public static int Next()
    {
        lock (Used)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Used.Add(port)) return port;
            }
        }
    }
}
