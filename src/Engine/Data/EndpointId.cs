namespace Spillway.Engine.Data;

/// <summary>
/// A random 128-bit endpoint id, new on every process start. A value type that hashes as a Guid;
/// its lowercase 8-4-4-4-12 text is rendered once, at construction.
/// </summary>
public readonly struct EndpointId : IEquatable<EndpointId>
{
    private readonly string? _text;

    /// <summary>The id with the given value.</summary>
    public EndpointId(Guid value)
    {
        Value = value;
        _text = value.ToString("D");
    }

    /// <summary>The 128-bit value.</summary>
    public Guid Value { get; }

    /// <summary>A new random id.</summary>
    public static EndpointId NewRandom() => new(Guid.NewGuid());

    /// <summary>Parses the 8-4-4-4-12 text form.</summary>
    public static EndpointId Parse(string text) => new(Guid.ParseExact(text, "D"));

    /// <summary>Parses the 8-4-4-4-12 text form; false if <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out EndpointId id)
    {
        if (Guid.TryParseExact(text, "D", out var guid)) { id = new EndpointId(guid); return true; }
        id = default;
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(EndpointId other) => Value.Equals(other.Value);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EndpointId other && Equals(other);
    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();
    /// <inheritdoc/>
    public override string ToString() => _text ?? Value.ToString("D");
    /// <summary>Equal ids.</summary>
    public static bool operator ==(EndpointId a, EndpointId b) => a.Equals(b);
    /// <summary>Different ids.</summary>
    public static bool operator !=(EndpointId a, EndpointId b) => !a.Equals(b);
}
