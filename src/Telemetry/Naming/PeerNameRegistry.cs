using Spillway.Engine.Peering;
using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// Which live peering holds which node name. A name is accepted only when the layout has it, it is a
/// valid label value, it is not this node's own, and no other live peering holds it. Keyed by peering
/// instance, so a re-peering with the same endpoint id never inherits or loses a name by mistake.
/// Not thread-safe: <see cref="NodeTelemetry"/> serializes access.
/// </summary>
internal sealed class PeerNameRegistry(string ownName, IReadOnlySet<string> layoutNames)
{
    private readonly Dictionary<PeerInfo, string> _nameByPeering = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, PeerInfo> _peeringByName = new(StringComparer.Ordinal);

    public bool TryGetName(PeerInfo peering, out string name) => _nameByPeering.TryGetValue(peering, out name!);

    /// <summary>Tries to name <paramref name="peering"/>; on refusal says why, in words for the log.</summary>
    public bool TryAssign(PeerInfo peering, string name, Func<PeerInfo, bool> isLive, out string problem)
    {
        problem = "";
        // The layout's own rule for names (also what keeps them safe as label values).
        if (LayoutRules.NameProblem(name) is { } invalid)
            problem = Shorten(invalid);
        else if (!layoutNames.Contains(name))
            problem = $"name '{name}' is not in the cluster layout";
        else if (name == ownName)
            problem = $"name '{name}' is this node's own name";
        else if (_nameByPeering.TryGetValue(peering, out var current))
        {
            if (current == name) return true;
            problem = $"it is already named '{current}'";
        }
        else if (_peeringByName.TryGetValue(name, out var holder) && isLive(holder))
            problem = $"name '{name}' is already held by {holder}";
        if (problem.Length > 0) return false;

        if (_peeringByName.Remove(name, out var stale)) _nameByPeering.Remove(stale); // its holder is gone
        _nameByPeering[peering] = name;
        _peeringByName[name] = peering;
        return true;
    }

    /// <summary>The peering holding <paramref name="name"/> now, live or not yet reported gone; null if none.</summary>
    public PeerInfo? HolderOf(string name) => _peeringByName.GetValueOrDefault(name);

    /// <summary>Forgets the name of a peering that ended; returns it, or null if it had none.</summary>
    public string? Unname(PeerInfo peering)
    {
        if (!_nameByPeering.Remove(peering, out var name)) return null;
        if (_peeringByName.TryGetValue(name, out var holder) && ReferenceEquals(holder, peering)) _peeringByName.Remove(name);
        return name;
    }

    // A hostile peer chooses the name: keep what it can put into one log line short.
    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
