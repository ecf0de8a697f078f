using System.Text;
using System.Text.Json;
using Spillway.Engine.Buffers;
using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// A validated cluster layout (docs/design.md §7): every node's name, role, host and ports, plus buffer settings.
/// Immutable. Equality compares <see cref="Buffers"/> and <see cref="Nodes"/> (in order), not <see cref="Source"/>.
/// Load one with <see cref="LayoutLoader"/>; the built-in demo cluster is <see cref="DemoLayout.Create"/>.
/// </summary>
public sealed class ClusterLayout : IEquatable<ClusterLayout>
{
    /// <summary>Source name used for layouts built in code.</summary>
    public const string DefaultSource = "<layout>";

    private readonly NodeSpec[] _nodes;

    /// <summary>Builds and validates a layout; any problem throws <see cref="LayoutException"/> naming <paramref name="source"/> and the field.</summary>
    /// <param name="nodes">The nodes, in order; their <see cref="NodeSpec.Buffers"/> are the effective (merged) settings.</param>
    /// <param name="buffers">Cluster-wide buffer settings (what <see cref="ToJson"/> writes as the top-level <c>buffers</c>); null = defaults.</param>
    /// <param name="source">The file or other origin, for error messages.</param>
    /// <param name="tls">The <c>tls</c> section; null = not given (a node refuses to start until it is: TLS or an explicit "off").</param>
    /// <param name="limits">Cluster-wide budgets (the top-level <c>limits</c>); null = defaults.</param>
    public ClusterLayout(IEnumerable<NodeSpec> nodes, BufferSettings? buffers = null, string source = DefaultSource, TlsLayout? tls = null,
        LimitSettings? limits = null)
    {
        Tls = tls;
        Limits = limits ?? LimitSettings.Default;
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        Buffers = buffers ?? BufferSettings.Default;
        _nodes = nodes.ToArray();
        Nodes = Array.AsReadOnly(_nodes);
        Validate();
    }

    /// <summary>The file the layout came from (or <see cref="DefaultSource"/>); prefixes every <see cref="LayoutException"/>.</summary>
    public string Source { get; }

    /// <summary>Cluster-wide buffer settings: the file's top-level <c>buffers</c> over the defaults. Nodes may override them.</summary>
    public BufferSettings Buffers { get; }

    /// <summary>The cluster-wide <c>tls</c> section, or null when the layout has none (docs/security.md).</summary>
    public TlsLayout? Tls { get; }

    /// <summary>A copy with another <c>tls</c> section (the demo and tests add the certificates they generate).</summary>
    public ClusterLayout WithTls(TlsLayout? tls) => new(_nodes, Buffers, Source, tls, Limits) { Heartbeat = Heartbeat };

    /// <summary>Cluster-wide heartbeat interval and timeout (the file's optional top-level <c>heartbeat</c>); validated on set.</summary>
    public HeartbeatSettings Heartbeat
    {
        get => _heartbeat;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            Check(LayoutFields.Heartbeat, LayoutFields.HeartbeatInterval, LayoutRules.IntervalProblem(value.Interval));
            Check(LayoutFields.Heartbeat, LayoutFields.HeartbeatTimeout, LayoutRules.IntervalProblem(value.Timeout)
                ?? (value.Timeout <= value.Interval ? $"must be longer than the interval ({LayoutDuration.Format(value.Interval)}), got {LayoutDuration.Format(value.Timeout)}" : null));
            _heartbeat = value;
        }
    }
    private readonly HeartbeatSettings _heartbeat = HeartbeatSettings.Default;

    /// <summary>Cluster-wide budgets: the file's top-level <c>limits</c> over the defaults. Nodes may override them.</summary>
    public LimitSettings Limits { get; }

    /// <summary>The nodes in file order.</summary>
    public IReadOnlyList<NodeSpec> Nodes { get; }

    /// <summary>True if a node has exactly this name (ordinal comparison).</summary>
    public bool Contains(string name) => Find(name) is not null;

    /// <summary>The node named <paramref name="name"/>.</summary>
    /// <exception cref="LayoutException">No such node; the field is <c>--name</c> and the problem lists the known names.</exception>
    public NodeSpec Get(string name) =>
        Find(name) ?? throw new LayoutException(
            Source, "--name", $"no node named '{name}' in the layout (nodes: {string.Join(", ", _nodes.Select(n => n.Name))})");

    /// <summary>
    /// The nodes <paramref name="node"/> initiates peerings to, in layout order: workers dial manager, loggers and proxies;
    /// proxies dial manager and loggers; the manager dials loggers; loggers dial nobody.
    /// </summary>
    public IReadOnlyList<NodeSpec> DialTargets(NodeSpec node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _nodes.Where(target => target.Name != node.Name && Dials(node.Role, target.Role)).ToArray();
    }

    /// <summary>True if a node of role <paramref name="from"/> initiates the peering with a node of role <paramref name="to"/>.</summary>
    public static bool Dials(NodeRole from, NodeRole to) => from switch
    {
        NodeRole.Worker => to is NodeRole.Manager or NodeRole.Logger or NodeRole.Proxy,
        NodeRole.Proxy => to is NodeRole.Manager or NodeRole.Logger,
        NodeRole.Manager => to is NodeRole.Logger,
        _ => false,
    };

    /// <summary>
    /// Engine options for <paramref name="node"/>: its effective buffer settings (peer and WebSocket-client buffers, policies,
    /// stats reset interval), inbound rate and socket buffer size. Every other option keeps the engine default.
    /// </summary>
    public EndpointOptions ToEndpointOptions(NodeSpec node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var b = node.Buffers;
        var l = node.Limits;
        return new EndpointOptions
        {
            PeerBufferSize = b.PeerBufferSize,
            PeerBufferBytes = b.PeerBufferBytes,
            WebSocketBufferBytes = b.WebSocketBufferBytes,
            MaxConnections = l.MaxConnections,
            MaxConnectionsPerAddress = l.MaxConnectionsPerAddress,
            HandshakeMaxBytes = l.HandshakeMaxBytes,
            MaxFrameSize = l.MaxFrameSize,
            FrameReadTimeout = l.FrameReadTimeout,
            MaxSubscriptions = l.MaxSubscriptions,
            WebSocketMaxConnections = l.WebSocketMaxConnections,
            WebSocketMaxConnectionsPerAddress = l.WebSocketMaxConnectionsPerAddress,
            MaxLocalSubscriptions = l.MaxLocalSubscriptions,
            PeerOverflowPolicy = b.PeerOverflowPolicy,
            WebSocketBufferSize = b.WebSocketBufferSize,
            WebSocketOverflowPolicy = b.WebSocketOverflowPolicy,
            StatsResetInterval = b.StatsResetInterval,
            InboundMessagesPerSecond = node.InboundMessagesPerSecond,
            SocketBufferBytes = node.SocketBufferBytes,
            HeartbeatInterval = Heartbeat.Interval,
            HeartbeatTimeout = Heartbeat.Timeout,
        };
    }

    /// <summary>
    /// A copy with every peering, metrics and WebSocket port shifted by <paramref name="offset"/> (which may be negative).
    /// Lets tests and the end-to-end run put the demo cluster on free ports.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A shifted port would leave 1..65535.</exception>
    public ClusterLayout WithPortOffset(int offset)
    {
        if (offset == 0) return this;
        var shifted = new NodeSpec[_nodes.Length];
        for (int i = 0; i < _nodes.Length; i++)
        {
            var n = _nodes[i];
            shifted[i] = n with
            {
                PeeringPort = Shift(n.PeeringPort, offset, i, LayoutFields.PeeringPort),
                MetricsPort = Shift(n.MetricsPort, offset, i, LayoutFields.MetricsPort),
                WebSocketPort = n.WebSocketPort is int ws ? Shift(ws, offset, i, LayoutFields.WebSocketPort) : null,
            };
        }
        return new ClusterLayout(shifted, Buffers, Source, Tls, Limits) { Heartbeat = Heartbeat };
    }

    /// <summary>
    /// The layout in the file schema (indented, <c>\n</c> line ends, final newline). The top-level <c>buffers</c> holds all five
    /// cluster settings; a node's <c>buffers</c> holds only the settings that differ from them; optional node fields at their
    /// default (no WebSocket port, 0) are left out. <see cref="LayoutLoader.Parse"/> of the result equals this layout.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            WriteTls(w, Tls);
            w.WritePropertyName(LayoutFields.Buffers);
            WriteBuffers(w, Buffers, baseline: null);
            if (Heartbeat != HeartbeatSettings.Default)
            {
                w.WriteStartObject(LayoutFields.Heartbeat);
                w.WriteString(LayoutFields.HeartbeatInterval, LayoutDuration.Format(Heartbeat.Interval));
                w.WriteString(LayoutFields.HeartbeatTimeout, LayoutDuration.Format(Heartbeat.Timeout));
                w.WriteEndObject();
            }
            // Budgets are written only where they differ from the defaults, so a layout that never mentions them stays as it was.
            if (Limits != LimitSettings.Default)
            {
                w.WritePropertyName(LayoutLimits.Section);
                LayoutLimits.Write(w, Limits, LimitSettings.Default);
            }
            w.WriteStartArray(LayoutFields.Nodes);
            foreach (var n in _nodes)
            {
                w.WriteStartObject();
                w.WriteString(LayoutFields.Name, n.Name);
                w.WriteString(LayoutFields.Role, n.Role.ToName());
                w.WriteString(LayoutFields.Host, n.Host);
                w.WriteNumber(LayoutFields.PeeringPort, n.PeeringPort);
                w.WriteNumber(LayoutFields.MetricsPort, n.MetricsPort);
                if (n.WebSocketPort is int ws) w.WriteNumber(LayoutFields.WebSocketPort, ws);
                if (n.InboundMessagesPerSecond != 0) w.WriteNumber(LayoutFields.InboundMessagesPerSecond, n.InboundMessagesPerSecond);
                if (n.SocketBufferBytes != 0) w.WriteNumber(LayoutFields.SocketBufferBytes, n.SocketBufferBytes);
                if (n.CertificateFile is { } certificate) w.WriteString(LayoutFields.Certificate, certificate);
                if (n.KeyFile is { } key) w.WriteString(LayoutFields.Key, key);
                if (n.Buffers != Buffers)
                {
                    w.WritePropertyName(LayoutFields.Buffers);
                    WriteBuffers(w, n.Buffers, baseline: Buffers);
                }
                if (n.Limits != Limits)
                {
                    w.WritePropertyName(LayoutLimits.Section);
                    LayoutLimits.Write(w, n.Limits, baseline: Limits);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length) + "\n";
    }

    public bool Equals(ClusterLayout? other) =>
        other is not null && (ReferenceEquals(this, other) || (Buffers == other.Buffers && Tls == other.Tls && Heartbeat == other.Heartbeat && Limits == other.Limits && _nodes.SequenceEqual(other._nodes)));

    public override bool Equals(object? obj) => Equals(obj as ClusterLayout);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Buffers);
        hash.Add(Tls);
        hash.Add(Heartbeat);
        hash.Add(Limits);
        foreach (var n in _nodes) hash.Add(n);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Source}: {string.Join(", ", _nodes.Select(n => $"{n.Name} ({n.Role.ToName()})"))}";

    private NodeSpec? Find(string name) => Array.Find(_nodes, n => string.Equals(n.Name, name, StringComparison.Ordinal));

    private static int Shift(int port, int offset, int index, string field)
    {
        long shifted = (long)port + offset;
        if (shifted is < LayoutRules.MinPort or > LayoutRules.MaxPort)
            throw new ArgumentOutOfRangeException(
                nameof(offset), offset,
                $"shifting {LayoutFields.Join(LayoutFields.Node(index), field)} ({port}) by {offset} leaves {LayoutRules.MinPort}..{LayoutRules.MaxPort}");
        return (int)shifted;
    }

    private static void WriteTls(Utf8JsonWriter w, TlsLayout? tls)
    {
        if (tls is null) return;
        if (!tls.Enabled)
        {
            w.WriteString(LayoutFields.Tls, TlsLayout.OffValue);
            return;
        }
        w.WriteStartObject(LayoutFields.Tls);
        w.WriteString(LayoutFields.TlsCa, tls.CaFile);
        if (tls.WebSocketClientCertificates) w.WriteBoolean(LayoutFields.TlsWebSocketClientCertificates, true);
        w.WriteEndObject();
    }

    private static void WriteBuffers(Utf8JsonWriter w, BufferSettings b, BufferSettings? baseline)
    {
        w.WriteStartObject();
        if (baseline is null || b.PeerBufferSize != baseline.PeerBufferSize)
            w.WriteNumber(LayoutFields.PeerBufferSize, b.PeerBufferSize);
        // The byte bounds are written only where they differ from the default (or the cluster's), keeping older layouts unchanged.
        if (b.PeerBufferBytes != (baseline ?? BufferSettings.Default).PeerBufferBytes)
            w.WriteNumber(LayoutFields.PeerBufferBytes, b.PeerBufferBytes);
        if (baseline is null || b.PeerOverflowPolicy != baseline.PeerOverflowPolicy)
            w.WriteString(LayoutFields.PeerOverflowPolicy, b.PeerOverflowPolicy.ToName());
        if (baseline is null || b.WebSocketBufferSize != baseline.WebSocketBufferSize)
            w.WriteNumber(LayoutFields.WebSocketBufferSize, b.WebSocketBufferSize);
        if (b.WebSocketBufferBytes != (baseline ?? BufferSettings.Default).WebSocketBufferBytes)
            w.WriteNumber(LayoutFields.WebSocketBufferBytes, b.WebSocketBufferBytes);
        if (baseline is null || b.WebSocketOverflowPolicy != baseline.WebSocketOverflowPolicy)
            w.WriteString(LayoutFields.WebSocketOverflowPolicy, b.WebSocketOverflowPolicy.ToName());
        if (baseline is null || b.StatsResetInterval != baseline.StatsResetInterval)
            w.WriteString(LayoutFields.StatsResetInterval, LayoutDuration.Format(b.StatsResetInterval));
        w.WriteEndObject();
    }

    private void Validate()
    {
        ValidateBuffers(Buffers, LayoutFields.Buffers);
        LayoutLimits.Validate(Limits, LayoutLimits.Section, Check);
        for (int i = 0; i < _nodes.Length; i++)
        {
            var n = _nodes[i] ?? throw new ArgumentException($"{LayoutFields.Node(i)} is null", "nodes");
            string path = LayoutFields.Node(i);
            Check(path, LayoutFields.Name, n.Name is null ? "required property missing" : LayoutRules.NameProblem(n.Name));
            if (!Enum.IsDefined(n.Role)) Check(path, LayoutFields.Role, LayoutRules.UnknownRole(((int)n.Role).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Check(path, LayoutFields.Host, n.Host is null ? "required property missing" : LayoutRules.HostProblem(n.Host));
            Check(path, LayoutFields.PeeringPort, LayoutRules.PortProblem(n.PeeringPort));
            Check(path, LayoutFields.MetricsPort, LayoutRules.PortProblem(n.MetricsPort));
            if (n.WebSocketPort is int ws) Check(path, LayoutFields.WebSocketPort, LayoutRules.PortProblem(ws));
            Check(path, LayoutFields.InboundMessagesPerSecond, LayoutRules.NonNegativeProblem(n.InboundMessagesPerSecond));
            Check(path, LayoutFields.SocketBufferBytes, LayoutRules.NonNegativeProblem(n.SocketBufferBytes));
            if (n.Buffers is null) Check(path, LayoutFields.Buffers, "must not be null");
            ValidateBuffers(n.Buffers!, LayoutFields.Join(path, LayoutFields.Buffers));
            if (n.Limits is null) Check(path, LayoutLimits.Section, "must not be null");
            LayoutLimits.Validate(n.Limits!, LayoutFields.Join(path, LayoutLimits.Section), Check);
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var ports = new Dictionary<(string Host, int Port), string>();
        for (int i = 0; i < _nodes.Length; i++)
        {
            var n = _nodes[i];
            string path = LayoutFields.Node(i);
            if (!names.TryAdd(n.Name, i))
                Check(path, LayoutFields.Name, $"duplicate name '{n.Name}' (also {LayoutFields.Join(LayoutFields.Node(names[n.Name]), LayoutFields.Name)})");
            string host = n.Host.ToLowerInvariant();
            ClaimPort(ports, host, n.Host, n.PeeringPort, LayoutFields.Join(path, LayoutFields.PeeringPort));
            ClaimPort(ports, host, n.Host, n.MetricsPort, LayoutFields.Join(path, LayoutFields.MetricsPort));
            if (n.WebSocketPort is int ws) ClaimPort(ports, host, n.Host, ws, LayoutFields.Join(path, LayoutFields.WebSocketPort));
        }
    }

    private void ClaimPort(Dictionary<(string Host, int Port), string> ports, string hostKey, string host, int port, string field)
    {
        if (!ports.TryAdd((hostKey, port), field))
            throw new LayoutException(Source, field, $"port {port} on host {host} is already used by {ports[(hostKey, port)]}");
    }

    private void ValidateBuffers(BufferSettings b, string path)
    {
        Check(path, LayoutFields.PeerBufferSize, LayoutRules.BufferSizeProblem(b.PeerBufferSize));
        Check(path, LayoutFields.PeerOverflowPolicy, LayoutRules.PolicyProblem(b.PeerOverflowPolicy));
        Check(path, LayoutFields.WebSocketBufferSize, LayoutRules.BufferSizeProblem(b.WebSocketBufferSize));
        Check(path, LayoutFields.WebSocketOverflowPolicy, LayoutRules.PolicyProblem(b.WebSocketOverflowPolicy));
        Check(path, LayoutFields.PeerBufferBytes, LayoutRules.BufferBytesProblem(b.PeerBufferBytes));
        Check(path, LayoutFields.WebSocketBufferBytes, LayoutRules.BufferBytesProblem(b.WebSocketBufferBytes));
        Check(path, LayoutFields.StatsResetInterval, LayoutRules.IntervalProblem(b.StatsResetInterval));
    }

    private void Check(string parent, string field, string? problem)
    {
        if (problem is not null) throw new LayoutException(Source, LayoutFields.Join(parent, field), problem);
    }
}
