using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Testing;

/// <summary>
/// Hands out free TCP ports on 127.0.0.1. The kernel picks a free port (bind to port 0); a process-wide set makes
/// sure no port is handed out twice, so concurrent test classes in one test process never collide.
/// </summary>
public static class PortAllocator
{
    private const int MaxAttempts = 1000;
    private static readonly HashSet<int> _handedOut = [];
    private static readonly Lock _gate = new();

    /// <summary>One free port, never returned before in this process.</summary>
    public static int Allocate()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var port = BindEphemeralPort();
                if (_handedOut.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException(
                $"No fresh TCP port on 127.0.0.1 after {MaxAttempts} attempts: the kernel kept offering ports already handed out ({_handedOut.Count} so far).");
        }
    }

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    public static int[] Allocate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ports = new int[count];
        for (var i = 0; i < count; i++)
        {
            ports[i] = Allocate();
        }

        return ports;
    }

    private static int BindEphemeralPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
