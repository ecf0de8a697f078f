namespace Spillway.Engine.Data;

/// <summary>
/// An immutable Broker value. Each kind is a sealed record below; equality is structural,
/// including for containers, so a value that crossed the wire compares equal to the original.
/// </summary>
/// <remarks>
/// Values are canonical from construction on (sets and tables in Broker's order, subnets masked,
/// IPv4-mapped addresses as IPv4), so equal values encode to equal bytes on the wire and in JSON.
/// Hash codes mix every bit with a per-process seed (<see cref="HashCode"/>), so input chosen to
/// collide cannot be precomputed.
/// </remarks>
public abstract record Value
{
    private protected Value() { }

    public abstract ValueKind Kind { get; }

    public static Value None => NoneValue.Instance;
    public static Value Of(bool value) => value ? BooleanValue.True : BooleanValue.False;
    public static Value Of(ulong value) => new CountValue(value);
    public static Value Of(long value) => new IntegerValue(value);
    public static Value Of(double value) => new RealValue(value);
    public static Value Of(string value) => new StringValue(value);
}

public sealed record NoneValue : Value
{
    public static readonly NoneValue Instance = new();
    private NoneValue() { }
    public override ValueKind Kind => ValueKind.None;
    public override int GetHashCode() => HashCode.Combine(ValueKind.None);
    public override string ToString() => "nil";
}

public sealed record BooleanValue(bool Value) : Value
{
    public static readonly BooleanValue True = new(true);
    public static readonly BooleanValue False = new(false);
    public override ValueKind Kind => ValueKind.Boolean;
    public override int GetHashCode() => HashCode.Combine(ValueKind.Boolean, Value);
}

/// <summary>Broker's <c>count</c>: an unsigned 64-bit integer.</summary>
/// <summary>Broker's <c>count</c>: an unsigned 64-bit integer.</summary>
public sealed record CountValue(ulong Value) : Value
{
    public override ValueKind Kind => ValueKind.Count;
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Count, Value);
}

/// <summary>Broker's <c>integer</c>: a signed 64-bit integer.</summary>
public sealed record IntegerValue(long Value) : Value
{
    public override ValueKind Kind => ValueKind.Integer;
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Integer, (ulong)Value);
}

/// <summary>A double. Equality is <see cref="double.Equals(double)"/>: every NaN equals every NaN, and 0.0 equals -0.0.</summary>
public sealed record RealValue(double Value) : Value
{
    public override ValueKind Kind => ValueKind.Real;
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Real, ValueHashing.Bits(Value));
}

/// <summary>A duration in nanoseconds (Broker's resolution, finer than <see cref="TimeSpan"/>).</summary>
public sealed record TimespanValue(long Nanoseconds) : Value
{
    public override ValueKind Kind => ValueKind.Timespan;
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Timespan, (ulong)Nanoseconds);
}

/// <summary>A point in time as nanoseconds since the Unix epoch (UTC).</summary>
public sealed record TimestampValue(long NanosecondsSinceEpoch) : Value
{
    public override ValueKind Kind => ValueKind.Timestamp;
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Timestamp, (ulong)NanosecondsSinceEpoch);
}

public sealed record StringValue(string Value) : Value
{
    public override ValueKind Kind => ValueKind.String;
    // string.GetHashCode is already seeded per process (Marvin).
    public override int GetHashCode() => HashCode.Combine(ValueKind.String, Value);
}

/// <summary>An enum constant, carried by name (e.g. <c>Log::WRITER_ASCII</c>).</summary>
public sealed record EnumValue(string Name) : Value
{
    public override ValueKind Kind => ValueKind.EnumValue;
    public override int GetHashCode() => HashCode.Combine(ValueKind.EnumValue, Name);
}

/// <summary>
/// An IPv4 or IPv6 address in Broker's canonical form: an IPv4-mapped IPv6 address
/// (<c>::ffff:192.168.0.1</c>) is the IPv4 address it maps (Broker stores both alike), and an IPv6
/// scope id is dropped (Broker has none). The address is treated as immutable.
/// </summary>
public sealed record AddressValue : Value
{
    public AddressValue(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = ValueAddresses.Canonical(address);
    }

    public System.Net.IPAddress Address { get; }
    public override ValueKind Kind => ValueKind.Address;
    public bool Equals(AddressValue? other) => other is not null && Address.Equals(other.Address);
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Address, Address, 0);
}

/// <summary>
/// A network prefix in Broker's canonical form: the network is masked to its prefix
/// (<c>192.168.1.77/24</c> is <c>192.168.1.0/24</c>), and an IPv4-mapped IPv6 network of prefix
/// 96 or longer is the IPv4 network it maps (<c>::ffff:10.0.0.0/104</c> is <c>10.0.0.0/8</c>).
/// Masking happens here, so every codec (binary wire, JSON) sees the same value.
/// </summary>
public sealed record SubnetValue : Value
{
    /// <exception cref="ArgumentException">The prefix is longer than the address (32 bits for IPv4, 128 for IPv6).</exception>
    public SubnetValue(System.Net.IPAddress network, byte prefixLength)
    {
        ArgumentNullException.ThrowIfNull(network);
        (Network, PrefixLength) = ValueAddresses.CanonicalNetwork(network, prefixLength);
    }

    public System.Net.IPAddress Network { get; }
    public byte PrefixLength { get; }
    public override ValueKind Kind => ValueKind.Subnet;
    public bool Equals(SubnetValue? other) =>
        other is not null && PrefixLength == other.PrefixLength && Network.Equals(other.Network);
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Subnet, Network, PrefixLength);
}

public enum PortProtocol : byte
{
    Unknown = 0,
    Tcp = 1,
    Udp = 2,
    Icmp = 3,
}

/// <summary>A transport-layer port with its protocol (<c>80/tcp</c>; <c>?</c> is <see cref="PortProtocol.Unknown"/>).</summary>
public sealed record PortValue(ushort Number, PortProtocol Protocol) : Value
{
    public override ValueKind Kind => ValueKind.Port;
    public override int GetHashCode() => HashCode.Combine(ValueKind.Port, Number, Protocol);
}
