namespace Spillway.Telemetry.Layout;

/// <summary>One node of a <see cref="ClusterLayout"/>. Value equality (record).</summary>
public sealed record NodeSpec
{
    /// <summary>JSON <c>name</c>: 1..64 characters from [A-Za-z0-9._-], unique in the layout. Used as the <c>node</c>/<c>peer</c> label.</summary>
    public required string Name { get; init; }
    /// <summary>JSON <c>role</c>.</summary>
    public required NodeRole Role { get; init; }
    /// <summary>JSON <c>host</c>: where the node listens and where others dial it.</summary>
    public required string Host { get; init; }
    /// <summary>JSON <c>peering_port</c>.</summary>
    public required int PeeringPort { get; init; }
    /// <summary>JSON <c>metrics_port</c>: serves <c>/metrics</c>.</summary>
    public required int MetricsPort { get; init; }
    /// <summary>JSON <c>websocket_port</c> (optional): the WebSocket JSON API; null = none.</summary>
    public int? WebSocketPort { get; init; }
    /// <summary>JSON <c>inbound_messages_per_second</c> (optional): read-rate cap per peering; 0 = unlimited.</summary>
    public int InboundMessagesPerSecond { get; init; }
    /// <summary>JSON <c>socket_buffer_bytes</c> (optional): kernel socket buffer size; 0 = OS default.</summary>
    public int SocketBufferBytes { get; init; }
    /// <summary>JSON <c>certificate</c> (optional): PEM certificate of this node, as written; default <c>&lt;name&gt;.crt</c> beside the CA (docs/security.md).</summary>
    public string? CertificateFile { get; init; }
    /// <summary>JSON <c>key</c> (optional): PEM private key of this node, as written; default <c>&lt;name&gt;.key</c> beside the CA.</summary>
    public string? KeyFile { get; init; }
    /// <summary>Effective buffer settings: the node's own <c>buffers</c> over the cluster's <c>buffers</c> over the defaults.</summary>
    public BufferSettings Buffers { get; init; } = BufferSettings.Default;
    /// <summary>Effective budgets: the node's own <c>limits</c> over the cluster's <c>limits</c> over the defaults.</summary>
    public LimitSettings Limits { get; init; } = LimitSettings.Default;
}
