namespace Spillway.Engine.Buffers;

/// <summary>The configuration spelling of each policy: <c>disconnect</c>, <c>drop_oldest</c>, <c>drop_newest</c>.</summary>
public static class OverflowPolicyNames
{
    /// <summary><see cref="OverflowPolicy.Disconnect"/>.</summary>
    public const string Disconnect = "disconnect";
    /// <summary><see cref="OverflowPolicy.DropOldest"/>.</summary>
    public const string DropOldest = "drop_oldest";
    /// <summary><see cref="OverflowPolicy.DropNewest"/>.</summary>
    public const string DropNewest = "drop_newest";

    /// <summary>The configuration spelling of <paramref name="policy"/>.</summary>
    public static string ToName(this OverflowPolicy policy) => policy switch
    {
        OverflowPolicy.Disconnect => Disconnect,
        OverflowPolicy.DropOldest => DropOldest,
        OverflowPolicy.DropNewest => DropNewest,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown overflow policy"),
    };

    /// <summary>Parses a configuration spelling; false for anything else.</summary>
    public static bool TryParse(string? text, out OverflowPolicy policy)
    {
        switch (text)
        {
            case Disconnect: policy = OverflowPolicy.Disconnect; return true;
            case DropOldest: policy = OverflowPolicy.DropOldest; return true;
            case DropNewest: policy = OverflowPolicy.DropNewest; return true;
            default: policy = default; return false;
        }
    }

    /// <summary>Parses a policy string; an unknown one is an error naming <paramref name="settingName"/>.</summary>
    public static OverflowPolicy Parse(string? text, string settingName) =>
        TryParse(text, out var policy)
            ? policy
            : throw new ArgumentException(
                $"{settingName}: unknown overflow policy '{text}' (expected {Disconnect}, {DropOldest} or {DropNewest})",
                settingName);
}
