using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Testing.Tests;

public class PortAllocatorTests
{
    [Fact]
    public async Task Allocate_ConcurrentCallers_NeverHandOutAPortTwice()
    {
        var ports = new ConcurrentBag<int>();
        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                ports.Add(PortAllocator.Allocate());
            }
        }));

        await Task.WhenAll(callers);

        Assert.Equal(400, ports.Count);
        Assert.Equal(400, ports.Distinct().Count());
    }

    [Fact]
    public void Allocate_Count_ReturnsDistinctPortsThatCanBeListenedOn()
    {
        var ports = PortAllocator.Allocate(6);

        Assert.Equal(6, ports.Distinct().Count());
        foreach (var port in ports)
        {
            Assert.InRange(port, 1, 65535);
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
    }

    [Fact]
    public void Allocate_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PortAllocator.Allocate(-1));
    }
}
