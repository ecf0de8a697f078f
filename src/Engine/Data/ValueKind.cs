namespace Spillway.Engine.Data;

/// <summary>The Broker data model's type tags. The numeric values are the wire tags (docs/wire-format.md).</summary>
public enum ValueKind : byte
{
    None = 0,
    Boolean = 1,
    Count = 2,
    Integer = 3,
    Real = 4,
    Timespan = 5,
    Timestamp = 6,
    String = 7,
    EnumValue = 8,
    Address = 9,
    Subnet = 10,
    Port = 11,
    Vector = 12,
    Set = 13,
    Table = 14,
}
