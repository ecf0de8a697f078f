namespace Spillway.Engine.Peering;

/// <summary>The label values of <see cref="RefusalReason"/> (the <c>reason</c> label of <c>spillway_connections_refused_total</c>).</summary>
public static class RefusalReasonNames
{
    /// <summary>Every reason, in enum order: the exporters emit one series each, zero included.</summary>
    public static IReadOnlyList<RefusalReason> All { get; } = Enum.GetValues<RefusalReason>();

    /// <summary>The metric label value of <paramref name="reason"/> (e.g. <c>frame_size</c>).</summary>
    public static string ToLabel(this RefusalReason reason) => reason switch
    {
        RefusalReason.NodeConnections => "node_connections",
        RefusalReason.AddressConnections => "address_connections",
        RefusalReason.HandshakeBytes => "handshake_bytes",
        RefusalReason.FrameSize => "frame_size",
        RefusalReason.FrameTimeout => "frame_timeout",
        RefusalReason.Subscriptions => "subscriptions",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown refusal reason"),
    };
}
