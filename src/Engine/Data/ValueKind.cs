namespace Spillway.Engine.Data;

/// <summary>The Broker data model's type tags. The numeric values are the wire tags (docs/wire-format.md).</summary>
public enum ValueKind : byte
{
    /// <summary>Broker's <c>nil</c>.</summary>
    None = 0,
    /// <summary><see cref="BooleanValue"/>.</summary>
    Boolean = 1,
    /// <summary><see cref="CountValue"/>.</summary>
    Count = 2,
    /// <summary><see cref="IntegerValue"/>.</summary>
    Integer = 3,
    /// <summary><see cref="RealValue"/>.</summary>
    Real = 4,
    /// <summary><see cref="TimespanValue"/>.</summary>
    Timespan = 5,
    /// <summary><see cref="TimestampValue"/>.</summary>
    Timestamp = 6,
    /// <summary><see cref="StringValue"/>.</summary>
    String = 7,
    /// <summary><see cref="Data.EnumValue"/>.</summary>
    EnumValue = 8,
    /// <summary><see cref="AddressValue"/>.</summary>
    Address = 9,
    /// <summary><see cref="SubnetValue"/>.</summary>
    Subnet = 10,
    /// <summary><see cref="PortValue"/>.</summary>
    Port = 11,
    /// <summary><see cref="VectorValue"/>.</summary>
    Vector = 12,
    /// <summary><see cref="SetValue"/>.</summary>
    Set = 13,
    /// <summary><see cref="TableValue"/>.</summary>
    Table = 14,
}
