namespace Spillway.Engine.Data;

/// <summary>
/// An immutable Broker value. Each kind is a sealed record below; equality is structural,
/// including for containers, so a value that crossed the wire compares equal to the original.
/// </summary>
public abstract record Value
{
    private protected Value() { }

    /// <summary>The value's type tag.</summary>
    public abstract ValueKind Kind { get; }

    /// <summary>Broker's <c>nil</c>.</summary>
    public static Value None => NoneValue.Instance;
    /// <summary>A <see cref="BooleanValue"/>.</summary>
    public static Value Of(bool value) => value ? BooleanValue.True : BooleanValue.False;
    /// <summary>A <see cref="CountValue"/>.</summary>
    public static Value Of(ulong value) => new CountValue(value);
    /// <summary>An <see cref="IntegerValue"/>.</summary>
    public static Value Of(long value) => new IntegerValue(value);
    /// <summary>A <see cref="RealValue"/>.</summary>
    public static Value Of(double value) => new RealValue(value);
    /// <summary>A <see cref="StringValue"/>.</summary>
    public static Value Of(string value) => new StringValue(value);
}

/// <summary>Broker's <c>nil</c>: no value.</summary>
public sealed record NoneValue : Value
{
    /// <summary>The one instance.</summary>
    public static readonly NoneValue Instance = new();
    private NoneValue() { }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.None;
    /// <inheritdoc/>
    public override string ToString() => "nil";
}

/// <summary>Broker's <c>bool</c>.</summary>
/// <param name="Value">The boolean.</param>
public sealed record BooleanValue(bool Value) : Value
{
    /// <summary>The shared <c>true</c>.</summary>
    public static readonly BooleanValue True = new(true);
    /// <summary>The shared <c>false</c>.</summary>
    public static readonly BooleanValue False = new(false);
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Boolean;
}

/// <summary>Broker's <c>count</c>: an unsigned 64-bit integer.</summary>
/// <param name="Value">The number.</param>
public sealed record CountValue(ulong Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Count;
}

/// <summary>Broker's <c>integer</c>: a signed 64-bit integer.</summary>
/// <param name="Value">The number.</param>
public sealed record IntegerValue(long Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Integer;
}

/// <summary>Broker's <c>real</c>: a 64-bit floating-point number.</summary>
/// <param name="Value">The number.</param>
public sealed record RealValue(double Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Real;
}

/// <summary>A duration in nanoseconds (Broker's resolution, finer than <see cref="TimeSpan"/>).</summary>
/// <param name="Nanoseconds">The duration.</param>
public sealed record TimespanValue(long Nanoseconds) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Timespan;
}

/// <summary>A point in time as nanoseconds since the Unix epoch (UTC).</summary>
/// <param name="NanosecondsSinceEpoch">The time.</param>
public sealed record TimestampValue(long NanosecondsSinceEpoch) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Timestamp;
}

/// <summary>Broker's <c>string</c>.</summary>
/// <param name="Value">The text.</param>
public sealed record StringValue(string Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.String;
}

/// <summary>An enum constant, carried by name (e.g. <c>Log::WRITER_ASCII</c>).</summary>
/// <param name="Name">The constant's name.</param>
public sealed record EnumValue(string Name) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.EnumValue;
}

/// <summary>An IPv4 or IPv6 address.</summary>
/// <param name="Address">The address.</param>
public sealed record AddressValue(System.Net.IPAddress Address) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Address;
}

/// <summary>A network prefix. <see cref="Network"/> is stored as given; equality compares address and length.</summary>
/// <param name="Network">The network address.</param>
/// <param name="PrefixLength">The prefix length in bits.</param>
public sealed record SubnetValue(System.Net.IPAddress Network, byte PrefixLength) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Subnet;
}

/// <summary>The transport protocol of a <see cref="PortValue"/>; the numbers are the wire tags.</summary>
public enum PortProtocol : byte
{
    /// <summary>Unknown (<c>?</c>).</summary>
    Unknown = 0,
    /// <summary>TCP.</summary>
    Tcp = 1,
    /// <summary>UDP.</summary>
    Udp = 2,
    /// <summary>ICMP.</summary>
    Icmp = 3,
}

/// <summary>A transport-layer port with its protocol (<c>80/tcp</c>; <c>?</c> is <see cref="PortProtocol.Unknown"/>).</summary>
/// <param name="Number">The port number.</param>
/// <param name="Protocol">The protocol.</param>
public sealed record PortValue(ushort Number, PortProtocol Protocol) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Port;
}
