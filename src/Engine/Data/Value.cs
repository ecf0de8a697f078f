using System.Text;

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
    public override int GetHashCode() => HashCode.Combine(ValueKind.None);
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
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ValueKind.Boolean, Value);
}

/// <summary>Broker's <c>count</c>: an unsigned 64-bit integer.</summary>
/// <param name="Value">The number.</param>
public sealed record CountValue(ulong Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Count;
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Count, Value);
}

/// <summary>Broker's <c>integer</c>: a signed 64-bit integer.</summary>
/// <param name="Value">The number.</param>
public sealed record IntegerValue(long Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Integer;
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Integer, (ulong)Value);
}

/// <summary>A double. Equality is <see cref="double.Equals(double)"/>: every NaN equals every NaN, and 0.0 equals -0.0.</summary>
/// <param name="Value">The number.</param>
public sealed record RealValue(double Value) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Real;
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Real, ValueHashing.Bits(Value));
}

/// <summary>A duration in nanoseconds (Broker's resolution, finer than <see cref="TimeSpan"/>).</summary>
/// <param name="Nanoseconds">The duration.</param>
public sealed record TimespanValue(long Nanoseconds) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Timespan;
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Timespan, (ulong)Nanoseconds);
}

/// <summary>A point in time as nanoseconds since the Unix epoch (UTC).</summary>
/// <param name="NanosecondsSinceEpoch">The time.</param>
public sealed record TimestampValue(long NanosecondsSinceEpoch) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Timestamp;
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Timestamp, (ulong)NanosecondsSinceEpoch);
}

/// <summary>Broker's <c>string</c>.</summary>
/// <remarks>
/// An ASCII string received from a peer as a message's value is kept as the bytes the wire carried and widened into
/// <see cref="Value"/> the first time someone reads it: a node that only counts, drops or forwards messages (to a
/// WebSocket client, whose JSON is UTF-8 too) never makes the UTF-16 copy, twice the size. Other text is decoded on
/// arrival, since validating it costs as much as the one pass that validates and transcodes it. Equality and hashing
/// are over the text, whatever the form it is held in.
/// </remarks>
public sealed record StringValue : Value
{
    private string? _text;
    private readonly byte[]? _ascii;

    /// <param name="Value">The text.</param>
    public StringValue(string Value) => _text = Value;

    /// <summary>
    /// A string read off the wire: <paramref name="ascii"/> holds ASCII only and is owned by this value from now on.
    /// </summary>
    internal StringValue(byte[] ascii) => _ascii = ascii;

    /// <summary>
    /// The string whose UTF-8 encoding is <paramref name="utf8"/> (copied): for a publisher that holds its text encoded
    /// already (read from a socket or a file), which then need not decode it only for peerings to encode it again.
    /// ASCII is kept as the bytes, which peerings copy onto the wire as they are, and widened only if
    /// <see cref="Value"/> is read; other text is decoded now, as a string from a peer is.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="utf8"/> is not well-formed UTF-8.</exception>
    public static StringValue FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (TryFromAscii(utf8) is { } ascii) return ascii;
        return Utf8Text.TryDecode(utf8, out var text)
            ? new StringValue(text)
            : throw new ArgumentException("the bytes are not well-formed UTF-8", nameof(utf8));
    }

    /// <summary>A value holding a copy of <paramref name="bytes"/> if they are all ASCII; otherwise null.</summary>
    internal static StringValue? TryFromAscii(ReadOnlySpan<byte> bytes)
    {
        if (!Ascii.IsValid(bytes)) return null;
        return bytes.IsEmpty ? new StringValue(string.Empty) : new StringValue(bytes.ToArray());
    }

    /// <summary>The text.</summary>
    public string Value
    {
        // Decoding twice on a race yields equal strings: harmless.
        get => _text ??= _ascii is null ? null! : Encoding.Latin1.GetString(_ascii);
        init
        {
            // `with { Value = ... }` copies the bytes of the value it started from: they are not this text.
            _text = value;
            _ascii = null;
        }
    }

    /// <summary>The text's UTF-8 (ASCII), when the value came off the wire as such; otherwise false.</summary>
    internal bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        utf8 = _ascii;
        return _ascii is not null;
    }

    /// <summary>The text if it was widened (or given) already; null for wire ASCII no one read yet.</summary>
    internal string? DecodedOrNull => _text;

    /// <summary>Deconstructs into <see cref="Value"/>.</summary>
    public void Deconstruct(out string Value) => Value = this.Value;

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.String;

    /// <inheritdoc/>
    public bool Equals(StringValue? other) =>
        ReferenceEquals(this, other) || other is not null &&
        (_ascii is not null && other._ascii is not null
            ? _ascii.AsSpan().SequenceEqual(other._ascii)
            : string.Equals(Value, other.Value, StringComparison.Ordinal));

    // string.GetHashCode is already seeded per process (Marvin).
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ValueKind.String, Value);
}

/// <summary>An enum constant, carried by name (e.g. <c>Log::WRITER_ASCII</c>).</summary>
/// <param name="Name">The constant's name.</param>
public sealed record EnumValue(string Name) : Value
{
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.EnumValue;
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ValueKind.EnumValue, Name);
}

/// <summary>
/// An IPv4 or IPv6 address in Broker's canonical form: an IPv4-mapped IPv6 address
/// (<c>::ffff:192.168.0.1</c>) is the IPv4 address it maps (Broker stores both alike), and an IPv6
/// scope id is dropped (Broker has none). The address is treated as immutable.
/// </summary>
public sealed record AddressValue : Value
{
    /// <summary>The canonical form of <paramref name="address"/>.</summary>
    public AddressValue(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = ValueAddresses.Canonical(address);
    }

    /// <summary>The address (IPv4 when the input was IPv4-mapped).</summary>
    public System.Net.IPAddress Address { get; }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Address;
    /// <inheritdoc/>
    public bool Equals(AddressValue? other) => other is not null && Address.Equals(other.Address);
    /// <inheritdoc/>
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

    /// <summary>The network address, masked to <see cref="PrefixLength"/>.</summary>
    public System.Net.IPAddress Network { get; }
    /// <summary>The number of leading bits that name the network.</summary>
    public byte PrefixLength { get; }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Subnet;
    /// <inheritdoc/>
    public bool Equals(SubnetValue? other) =>
        other is not null && PrefixLength == other.PrefixLength && Network.Equals(other.Network);
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Of(ValueKind.Subnet, Network, PrefixLength);
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
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ValueKind.Port, Number, Protocol);
}
