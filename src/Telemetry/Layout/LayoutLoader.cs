using System.Text.Json;
using Spillway.Engine.Buffers;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// Reads a cluster layout file (schema in docs/layout.md). Every problem is a <see cref="LayoutException"/> naming the file,
/// the JSON path of the offending value and what is wrong; the first problem found wins.
/// JSON comments are allowed (and ignored); trailing commas and duplicate property names are not.
/// </summary>
public static class LayoutLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
    };

    /// <summary>Reads and validates the layout at <paramref name="path"/>; errors name <paramref name="path"/> as given.</summary>
    public static ClusterLayout Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new LayoutException(path, null, "file not found");
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LayoutException(path, null, $"cannot read file: {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses and validates layout JSON; <paramref name="sourceName"/> prefixes every error message.</summary>
    public static ClusterLayout Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new LayoutException(sourceName, null, DescribeSyntaxError(e), e);
        }
        using (document)
        {
            return ReadRoot(sourceName, document.RootElement);
        }
    }

    private static string DescribeSyntaxError(JsonException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        long line = (e.LineNumber ?? 0) + 1;
        long position = (e.BytePositionInLine ?? 0) + 1;
        return $"not valid JSON at line {line}, position {position}: {message}";
    }

    private static ClusterLayout ReadRoot(string source, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, null, $"top level must be a JSON object, got {Describe(root)}");
        CheckProperties(source, root, null, LayoutFields.RootProperties);

        var cluster = BufferSettings.Default;
        if (root.TryGetProperty(LayoutFields.Buffers, out var buffers))
            cluster = ReadBuffers(source, buffers, LayoutFields.Buffers, cluster);
        var clusterLimits = LimitSettings.Default;
        if (root.TryGetProperty(LayoutLimits.Section, out var limits))
            clusterLimits = LayoutLimits.Read(source, limits, LayoutLimits.Section, clusterLimits);

        TlsLayout? tls = root.TryGetProperty(LayoutFields.Tls, out var tlsElement) ? ReadTls(source, tlsElement) : null;
        var heartbeat = HeartbeatSettings.Default;
        if (root.TryGetProperty(LayoutFields.Heartbeat, out var beat))
            heartbeat = ReadHeartbeat(source, beat);

        if (!root.TryGetProperty(LayoutFields.Nodes, out var nodes))
            throw new LayoutException(source, LayoutFields.Nodes, "required property missing");
        if (nodes.ValueKind != JsonValueKind.Array)
            throw new LayoutException(source, LayoutFields.Nodes, $"expected an array of nodes, got {Describe(nodes)}");
        if (nodes.GetArrayLength() == 0)
            throw new LayoutException(source, LayoutFields.Nodes, "must list at least one node");

        var specs = new List<NodeSpec>(nodes.GetArrayLength());
        int index = 0;
        foreach (var node in nodes.EnumerateArray())
            specs.Add(ReadNode(source, node, LayoutFields.Node(index++), cluster, clusterLimits));

        // Cross-node rules (duplicate names, port clashes per host) run in the constructor.
        return new ClusterLayout(specs, cluster, source, tls, clusterLimits) { Heartbeat = heartbeat };
    }

    /// <summary><c>"tls": "off"</c>, or <c>{ "ca": FILE, "websocket_client_certificates": BOOL }</c>.</summary>
    private static TlsLayout ReadTls(string source, JsonElement element)
    {
        const string expected = $"expected \"{TlsLayout.OffValue}\" or an object with \"{LayoutFields.TlsCa}\" (the cluster CA file)";
        if (element.ValueKind == JsonValueKind.String)
            return element.GetString() == TlsLayout.OffValue
                ? TlsLayout.Off
                : throw new LayoutException(source, LayoutFields.Tls, $"{expected}, got \"{element.GetString()}\"");
        if (element.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, LayoutFields.Tls, $"{expected}, got {Describe(element)}");
        CheckProperties(source, element, LayoutFields.Tls, LayoutFields.TlsProperties);
        string ca = ReadString(source, Required(source, element, LayoutFields.Tls, LayoutFields.TlsCa), LayoutFields.Join(LayoutFields.Tls, LayoutFields.TlsCa));
        if (ca.Length == 0) throw new LayoutException(source, LayoutFields.Join(LayoutFields.Tls, LayoutFields.TlsCa), "must not be empty");
        bool clientCertificates = false;
        if (element.TryGetProperty(LayoutFields.TlsWebSocketClientCertificates, out var wcc))
        {
            if (wcc.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw new LayoutException(source, LayoutFields.Join(LayoutFields.Tls, LayoutFields.TlsWebSocketClientCertificates), $"expected true or false, got {Describe(wcc)}");
            clientCertificates = wcc.GetBoolean();
        }
        return TlsLayout.WithAuthority(ca, clientCertificates);
    }

    private static string? ReadOptionalPath(string source, JsonElement node, string path, string name)
    {
        if (!node.TryGetProperty(name, out var element)) return null;
        string value = ReadString(source, element, LayoutFields.Join(path, name));
        return value.Length > 0 ? value : throw new LayoutException(source, LayoutFields.Join(path, name), "must not be empty");
    }

    private static HeartbeatSettings ReadHeartbeat(string source, JsonElement element)
    {
        const string path = LayoutFields.Heartbeat;
        if (element.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, path, $"expected an object, got {Describe(element)}");
        CheckProperties(source, element, path, LayoutFields.HeartbeatProperties);
        var result = HeartbeatSettings.Default;
        if (element.TryGetProperty(LayoutFields.HeartbeatInterval, out var v))
            result = result with { Interval = ReadDuration(source, v, LayoutFields.Join(path, LayoutFields.HeartbeatInterval)) };
        if (element.TryGetProperty(LayoutFields.HeartbeatTimeout, out v))
            result = result with { Timeout = ReadDuration(source, v, LayoutFields.Join(path, LayoutFields.HeartbeatTimeout)) };
        return result;
    }

    private static NodeSpec ReadNode(string source, JsonElement node, string path, BufferSettings cluster, LimitSettings clusterLimits)
    {
        if (node.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, path, $"expected a node object, got {Describe(node)}");
        CheckProperties(source, node, path, LayoutFields.NodeProperties);

        string name = ReadString(source, Required(source, node, path, LayoutFields.Name), LayoutFields.Join(path, LayoutFields.Name));
        Check(source, path, LayoutFields.Name, LayoutRules.NameProblem(name));

        string roleText = ReadString(source, Required(source, node, path, LayoutFields.Role), LayoutFields.Join(path, LayoutFields.Role));
        if (!NodeRoleNames.TryParse(roleText, out var role))
            Check(source, path, LayoutFields.Role, LayoutRules.UnknownRole(roleText));

        string host = ReadString(source, Required(source, node, path, LayoutFields.Host), LayoutFields.Join(path, LayoutFields.Host));
        Check(source, path, LayoutFields.Host, LayoutRules.HostProblem(host));

        int peeringPort = ReadPort(source, Required(source, node, path, LayoutFields.PeeringPort), path, LayoutFields.PeeringPort);
        int metricsPort = ReadPort(source, Required(source, node, path, LayoutFields.MetricsPort), path, LayoutFields.MetricsPort);
        int? webSocketPort = node.TryGetProperty(LayoutFields.WebSocketPort, out var ws)
            ? ReadPort(source, ws, path, LayoutFields.WebSocketPort)
            : null;
        int inbound = node.TryGetProperty(LayoutFields.InboundMessagesPerSecond, out var rate)
            ? ReadChecked(source, rate, path, LayoutFields.InboundMessagesPerSecond, LayoutRules.NonNegativeProblem)
            : 0;
        int socketBuffer = node.TryGetProperty(LayoutFields.SocketBufferBytes, out var sb)
            ? ReadChecked(source, sb, path, LayoutFields.SocketBufferBytes, LayoutRules.NonNegativeProblem)
            : 0;
        var effective = node.TryGetProperty(LayoutFields.Buffers, out var overrides)
            ? ReadBuffers(source, overrides, LayoutFields.Join(path, LayoutFields.Buffers), cluster)
            : cluster;
        var effectiveLimits = node.TryGetProperty(LayoutLimits.Section, out var limitOverrides)
            ? LayoutLimits.Read(source, limitOverrides, LayoutFields.Join(path, LayoutLimits.Section), clusterLimits)
            : clusterLimits;

        string? certificate = ReadOptionalPath(source, node, path, LayoutFields.Certificate);
        string? key = ReadOptionalPath(source, node, path, LayoutFields.Key);

        return new NodeSpec
        {
            CertificateFile = certificate,
            KeyFile = key,
            Name = name,
            Role = role,
            Host = host,
            PeeringPort = peeringPort,
            MetricsPort = metricsPort,
            WebSocketPort = webSocketPort,
            InboundMessagesPerSecond = inbound,
            SocketBufferBytes = socketBuffer,
            Buffers = effective,
            Limits = effectiveLimits,
        };
    }

    /// <summary>Applies the settings present in <paramref name="element"/> over <paramref name="baseline"/>.</summary>
    private static BufferSettings ReadBuffers(string source, JsonElement element, string path, BufferSettings baseline)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, path, $"expected an object, got {Describe(element)}");
        CheckProperties(source, element, path, LayoutFields.BufferProperties);

        var result = baseline;
        if (element.TryGetProperty(LayoutFields.PeerBufferSize, out var v))
            result = result with { PeerBufferSize = ReadChecked(source, v, path, LayoutFields.PeerBufferSize, LayoutRules.BufferSizeProblem) };
        if (element.TryGetProperty(LayoutFields.PeerOverflowPolicy, out v))
            result = result with { PeerOverflowPolicy = ReadPolicy(source, v, path, LayoutFields.PeerOverflowPolicy) };
        if (element.TryGetProperty(LayoutFields.WebSocketBufferSize, out v))
            result = result with { WebSocketBufferSize = ReadChecked(source, v, path, LayoutFields.WebSocketBufferSize, LayoutRules.BufferSizeProblem) };
        if (element.TryGetProperty(LayoutFields.PeerBufferBytes, out v))
            result = result with { PeerBufferBytes = ReadCheckedLong(source, v, path, LayoutFields.PeerBufferBytes, LayoutRules.BufferBytesProblem) };
        if (element.TryGetProperty(LayoutFields.WebSocketBufferBytes, out v))
            result = result with { WebSocketBufferBytes = ReadCheckedLong(source, v, path, LayoutFields.WebSocketBufferBytes, LayoutRules.BufferBytesProblem) };
        if (element.TryGetProperty(LayoutFields.WebSocketOverflowPolicy, out v))
            result = result with { WebSocketOverflowPolicy = ReadPolicy(source, v, path, LayoutFields.WebSocketOverflowPolicy) };
        if (element.TryGetProperty(LayoutFields.StatsResetInterval, out v))
            result = result with { StatsResetInterval = ReadDuration(source, v, LayoutFields.Join(path, LayoutFields.StatsResetInterval)) };
        return result;
    }

    /// <summary>Rejects duplicate and unknown property names, in document order.</summary>
    internal static void CheckProperties(string source, JsonElement element, string? path, string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            string field = LayoutFields.Join(path, property.Name);
            if (Array.IndexOf(allowed, property.Name) < 0)
                throw new LayoutException(source, field, $"unknown property (expected {LayoutFields.OrList(allowed)})");
            if (!seen.Add(property.Name))
                throw new LayoutException(source, field, "duplicate property");
        }
    }

    private static JsonElement Required(string source, JsonElement node, string path, string name) =>
        node.TryGetProperty(name, out var value)
            ? value
            : throw new LayoutException(source, LayoutFields.Join(path, name), "required property missing");

    private static string ReadString(string source, JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new LayoutException(source, field, $"expected a string, got {Describe(element)}");

    private static long ReadInteger(string source, JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Number)
            throw new LayoutException(source, field, $"expected an integer, got {Describe(element)}");
        if (element.TryGetInt64(out long value)) return value;
        string raw = element.GetRawText();
        throw new LayoutException(source, field, raw.AsSpan().IndexOfAny(".eE") >= 0
            ? $"expected an integer, got {raw}"
            : $"integer {raw} is out of range");
    }

    internal static long ReadCheckedLong(string source, JsonElement element, string path, string name, Func<long, string?> rule)
    {
        string field = LayoutFields.Join(path, name);
        long value = ReadInteger(source, element, field);
        string? problem = rule(value);
        if (problem is not null) throw new LayoutException(source, field, problem);
        return value;
    }

    private static int ReadPort(string source, JsonElement element, string path, string name) =>
        ReadChecked(source, element, path, name, LayoutRules.PortProblem);

    internal static int ReadChecked(string source, JsonElement element, string path, string name, Func<long, string?> rule)
    {
        string field = LayoutFields.Join(path, name);
        long value = ReadInteger(source, element, field);
        string? problem = rule(value);
        if (problem is not null) throw new LayoutException(source, field, problem);
        return (int)value;
    }

    private static OverflowPolicy ReadPolicy(string source, JsonElement element, string path, string name)
    {
        string field = LayoutFields.Join(path, name);
        string text = ReadString(source, element, field);
        return OverflowPolicyNames.TryParse(text, out var policy)
            ? policy
            : throw new LayoutException(source, field, LayoutRules.UnknownPolicy(text));
    }

    internal static TimeSpan ReadDuration(string source, JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.String)
            throw new LayoutException(source, field, $"expected a duration string ({LayoutDuration.ExpectedForm}), got {Describe(element)}");
        return LayoutDuration.TryParse(element.GetString()!, out var duration, out var problem)
            ? duration
            : throw new LayoutException(source, field, problem!);
    }

    private static void Check(string source, string path, string name, string? problem)
    {
        if (problem is not null) throw new LayoutException(source, LayoutFields.Join(path, name), problem);
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}
