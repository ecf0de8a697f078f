using System.Net;

namespace Spillway.Engine.Data;

/// <summary>
/// Hash codes that mix every bit of a value with <see cref="HashCode"/>'s per-process seed. Folding a
/// 64-bit number to 32 bits first (as <see cref="long.GetHashCode"/> does) would let anyone pick
/// 160,000 integers with one hash code and make a set's duplicate check quadratic.
/// </summary>
internal static class ValueHashing
{
    public static int Of(ValueKind kind, ulong bits) => HashCode.Combine(kind, (uint)bits, (uint)(bits >> 32));

    /// <summary>The bits of a double with every NaN alike and -0.0 as 0.0, matching <see cref="double.Equals(double)"/>.</summary>
    public static ulong Bits(double value) =>
        double.IsNaN(value) ? 0x7FF8_0000_0000_0000UL : value == 0 ? 0UL : (ulong)BitConverter.DoubleToInt64Bits(value);

    public static int Of(ValueKind kind, IPAddress address, byte prefixLength)
    {
        var hash = new HashCode();
        hash.Add(kind);
        Span<byte> bytes = stackalloc byte[16];
        hash.AddBytes(bytes[..ValueAddresses.Write(address, bytes)]);
        hash.Add(prefixLength);
        return hash.ToHashCode();
    }

    public static int Ordered(ValueKind kind, ReadOnlySpan<Value> items)
    {
        var hash = new HashCode();
        hash.Add(kind);
        hash.Add(items.Length);
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    public static int Ordered(ReadOnlySpan<KeyValuePair<Value, Value>> entries)
    {
        var hash = new HashCode();
        hash.Add(ValueKind.Table);
        hash.Add(entries.Length);
        foreach (var entry in entries)
        {
            hash.Add(entry.Key);
            hash.Add(entry.Value);
        }
        return hash.ToHashCode();
    }
}
