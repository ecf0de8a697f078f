using System.Net;

namespace Spillway.Engine.Peering;

/// <summary>
/// Counts the inbound connections an endpoint holds, in total and per remote IP address, from accept until
/// the socket is closed (handshaking or peered). Touched once per accept and once per close, never per
/// message, so one small lock is enough.
/// </summary>
internal sealed class ConnectionBudget(int maxConnections, int maxPerAddress, string what = "inbound connections")
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private int _total;

    /// <summary>Connections held now.</summary>
    public int Count { get { lock (_lock) return _total; } }

    /// <summary>Takes a slot for a connection from <paramref name="address"/>, or says which budget is full.</summary>
    public bool TryAcquire(IPAddress address, out RefusalReason refusal)
    {
        address = Normalize(address);
        lock (_lock)
        {
            refusal = default;
            if (_total >= maxConnections)
            {
                refusal = RefusalReason.NodeConnections;
                return false;
            }
            _perAddress.TryGetValue(address, out var held);
            if (held >= maxPerAddress)
            {
                refusal = RefusalReason.AddressConnections;
                return false;
            }
            _perAddress[address] = held + 1;
            _total++;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryAcquire"/>.</summary>
    public void Release(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            _total--;
            var held = _perAddress[address] - 1;
            if (held == 0) _perAddress.Remove(address);
            else _perAddress[address] = held;
        }
    }

    // One client reaching a dual-stack listener over IPv4 appears as IPv4-mapped IPv6: count it once.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public string Describe(RefusalReason refusal) => refusal == RefusalReason.NodeConnections
        ? $"the node holds its maximum of {maxConnections} {what}"
        : $"the address holds its maximum of {maxPerAddress} {what}";
}
