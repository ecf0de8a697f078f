namespace Spillway.Telemetry.Naming;

/// <summary>What a node name may look like: 1-64 of <c>[A-Za-z0-9._-]</c>, so it is a safe label value.</summary>
public static class PeerNameRules
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        return true;
    }
}
