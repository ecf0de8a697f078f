namespace Spillway.Engine.Data;

/// <summary>
/// An immutable Broker value. Each kind is a sealed record below; equality is structural,
/// including for containers, so a value that crossed the wire compares equal to the original.
/// </summary>
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
    public override string ToString() => "nil";
}

public sealed record BooleanValue(bool Value) : Value
{
    public static readonly BooleanValue True = new(true);
    public static readonly BooleanValue False = new(false);
    public override ValueKind Kind => ValueKind.Boolean;
}

/// <summary>Broker's <c>count</c>: an unsigned 64-bit integer.</summary>
public sealed record CountValue(ulong Value) : Value
{
    public override ValueKind Kind => ValueKind.Count;
}

/// <summary>Broker's <c>integer</c>: a signed 64-bit integer.</summary>
public sealed record IntegerValue(long Value) : Value
{
    public override ValueKind Kind => ValueKind.Integer;
}

public sealed record RealValue(double Value) : Value
{
    public override ValueKind Kind => ValueKind.Real;
}

/// <summary>A duration in nanoseconds (Broker's resolution, finer than <see cref="TimeSpan"/>).</summary>
public sealed record TimespanValue(long Nanoseconds) : Value
{
    public override ValueKind Kind => ValueKind.Timespan;
}

/// <summary>A point in time as nanoseconds since the Unix epoch (UTC).</summary>
public sealed record TimestampValue(long NanosecondsSinceEpoch) : Value
{
    public override ValueKind Kind => ValueKind.Timestamp;
}

public sealed record StringValue(string Value) : Value
{
    public override ValueKind Kind => ValueKind.String;
}

/// <summary>An enum constant, carried by name (e.g. <c>Log::WRITER_ASCII</c>).</summary>
public sealed record EnumValue(string Name) : Value
{
    public override ValueKind Kind => ValueKind.EnumValue;
}

/// <summary>An IPv4 or IPv6 address.</summary>
public sealed record AddressValue(System.Net.IPAddress Address) : Value
{
    public override ValueKind Kind => ValueKind.Address;
}

/// <summary>A network prefix. <see cref="Network"/> is stored as given; equality compares address and length.</summary>
public sealed record SubnetValue(System.Net.IPAddress Network, byte PrefixLength) : Value
{
    public override ValueKind Kind => ValueKind.Subnet;
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
}
