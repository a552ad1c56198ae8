using System.Net;
using System.Net.Sockets;

namespace Retail.Data.Embedded;

/// <summary>Loopback TCP ports for the embedded cluster: a free one, or whether the recorded one still is.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
