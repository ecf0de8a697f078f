using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Spillway.Node.Hosting;

/// <summary>
/// The address a node listens on: its layout <c>host</c>, which must resolve to an address of this machine (a node
/// cannot listen on another machine's address; the bind would fail with a message that names nothing).
/// </summary>
internal static class ListenAddress
{
    public static IPAddress Resolve(string host, string field)
    {
        IPAddress[] candidates;
        if (IPAddress.TryParse(host, out var ip)) candidates = [ip];
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) candidates = [IPAddress.Loopback];
        else
        {
            try { candidates = Dns.GetHostAddresses(host); }
            catch (SocketException e)
            {
                throw new NodeStartException(field, $"host '{host}' does not resolve ({e.Message}); use an address or name of this machine, such as 127.0.0.1");
            }
        }
        var local = LocalAddresses();
        foreach (var address in candidates.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
            if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || local.Contains(address))
                return address;
        throw new NodeStartException(field,
            $"host '{host}'{(ip is null ? $" ({string.Join(", ", candidates.Select(a => a.ToString()))})" : "")} is not an address of this machine; a node listens on its own host");
    }

    private static HashSet<IPAddress> LocalAddresses()
    {
        var set = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                    set.Add(unicast.Address);
        }
        catch (NetworkInformationException) { } // no interface list: only loopback and the wildcard are accepted
        return set;
    }
}
