using System.Net;
using System.Net.Sockets;

namespace Spillway.Engine.Data;

/// <summary>Broker's canonical addresses and networks (see <see cref="AddressValue"/> and <see cref="SubnetValue"/>).</summary>
internal static class ValueAddresses
{
    private const int MappedPrefixBits = 96;

    public static IPAddress Canonical(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return address;
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException($"unsupported address family {address.AddressFamily}", nameof(address));
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        return address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
    }

    public static (IPAddress Network, byte PrefixLength) CanonicalNetwork(IPAddress network, byte prefixLength)
    {
        network = network.AddressFamily == AddressFamily.InterNetworkV6 && network.ScopeId != 0
            ? new IPAddress(network.GetAddressBytes())
            : network;
        Span<byte> bytes = stackalloc byte[16];
        int count = Write(network, bytes);
        int max = count * 8;
        if (prefixLength > max)
            throw new ArgumentException($"subnet prefix length {prefixLength} exceeds {max} for {network}", nameof(prefixLength));
        var span = bytes[..count];
        bool masked = Mask(span, prefixLength);
        // Still of the ::ffff:0:0/96 form after masking only if the prefix kept those 96 bits.
        if (count == 16 && span[..10].IndexOfAnyExcept((byte)0) < 0 && span[10] == 0xFF && span[11] == 0xFF)
            return (new IPAddress(span[12..]), (byte)(prefixLength - MappedPrefixBits));
        return (masked ? new IPAddress(span) : Canonical(network), prefixLength);
    }

    /// <summary>The 16 bytes Broker orders addresses by: IPv4 as <c>::ffff:a.b.c.d</c>.</summary>
    public static void WriteAsV6(IPAddress address, Span<byte> destination)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            destination[..10].Clear();
            destination[10] = 0xFF;
            destination[11] = 0xFF;
            Write(address, destination[12..]);
        }
        else
        {
            Write(address, destination);
        }
    }

    public static int Write(IPAddress address, Span<byte> destination) =>
        address.TryWriteBytes(destination, out int written)
            ? written
            : throw new ArgumentException($"could not read the bytes of address {address}");

    /// <summary>Clears every bit after the first <paramref name="prefixLength"/>; true when a bit was set.</summary>
    private static bool Mask(Span<byte> bytes, int prefixLength)
    {
        bool changed = false;
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefixLength - i * 8, 0, 8);
            byte mask = (byte)(0xFF00 >> keep);
            byte masked = (byte)(bytes[i] & mask);
            changed |= masked != bytes[i];
            bytes[i] = masked;
        }
        return changed;
    }
}
