namespace Spillway.Engine.Data;

/// <summary>
/// A random 128-bit endpoint id, new on every process start. A value type that hashes as a Guid;
/// its lowercase 8-4-4-4-12 text is rendered once, at construction.
/// </summary>
public readonly struct EndpointId : IEquatable<EndpointId>
{
    private readonly string? _text;

    public EndpointId(Guid value)
    {
        Value = value;
        _text = value.ToString("D");
    }

    public Guid Value { get; }

    public static EndpointId NewRandom() => new(Guid.NewGuid());

    public static EndpointId Parse(string text) => new(Guid.ParseExact(text, "D"));

    public static bool TryParse(string? text, out EndpointId id)
    {
        if (Guid.TryParseExact(text, "D", out var guid)) { id = new EndpointId(guid); return true; }
        id = default;
        return false;
    }

    public bool Equals(EndpointId other) => Value.Equals(other.Value);
    public override bool Equals(object? obj) => obj is EndpointId other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public override string ToString() => _text ?? Value.ToString("D");
    public static bool operator ==(EndpointId a, EndpointId b) => a.Equals(b);
    public static bool operator !=(EndpointId a, EndpointId b) => !a.Equals(b);
}
