using System.Text.Json;
using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Layout;

/// <summary>The <c>limits</c> section of a layout: reading (over a baseline), writing (only what differs) and the value rules.</summary>
internal static class LayoutLimits
{
    public const string Section = "limits";
    public const string MaxConnections = "max_connections";
    public const string MaxConnectionsPerAddress = "max_connections_per_address";
    public const string HandshakeMaxBytes = "handshake_max_bytes";
    public const string MaxFrameSize = "max_frame_size";
    public const string FrameReadTimeout = "frame_read_timeout";
    public const string MaxSubscriptions = "max_subscriptions";
    public const string WebSocketAppLabels = "websocket_app_labels";
    public const string WebSocketMaxConnections = "websocket_max_connections";
    public const string WebSocketMaxConnectionsPerAddress = "websocket_max_connections_per_address";
    public const string MaxLocalSubscriptions = "max_local_subscriptions";

    /// <summary>Above this a count is a typo, not a budget: no node holds a million connections or a billion prefixes.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>Each label is a series in three families on every scrape: a thousand distinct applications is already a lot.</summary>
    public const int MaxAppLabels = 1000;

    public static readonly string[] Properties =
        [MaxConnections, MaxConnectionsPerAddress, HandshakeMaxBytes, MaxFrameSize, FrameReadTimeout, MaxSubscriptions,
         WebSocketAppLabels, WebSocketMaxConnections, WebSocketMaxConnectionsPerAddress, MaxLocalSubscriptions];

    public static string? CountProblem(long value) => LayoutRules.RangeProblem(value, 1, MaxCount);

    public static string? AppLabelsProblem(long value) => LayoutRules.RangeProblem(value, 0, MaxAppLabels);

    public static string? FrameSizeProblem(long value) => LayoutRules.RangeProblem(value, 64, EndpointOptions.MaxMaxFrameSize);

    /// <summary>Applies the settings present in <paramref name="element"/> over <paramref name="baseline"/>.</summary>
    public static LimitSettings Read(string source, JsonElement element, string path, LimitSettings baseline)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, path, $"expected an object, got {LayoutLoader.Describe(element)}");
        LayoutLoader.CheckProperties(source, element, path, Properties);
        var r = baseline;
        if (element.TryGetProperty(MaxConnections, out var v))
            r = r with { MaxConnections = LayoutLoader.ReadChecked(source, v, path, MaxConnections, CountProblem) };
        if (element.TryGetProperty(MaxConnectionsPerAddress, out v))
            r = r with { MaxConnectionsPerAddress = LayoutLoader.ReadChecked(source, v, path, MaxConnectionsPerAddress, CountProblem) };
        if (element.TryGetProperty(HandshakeMaxBytes, out v))
            r = r with { HandshakeMaxBytes = LayoutLoader.ReadChecked(source, v, path, HandshakeMaxBytes, FrameSizeProblem) };
        if (element.TryGetProperty(MaxFrameSize, out v))
            r = r with { MaxFrameSize = LayoutLoader.ReadChecked(source, v, path, MaxFrameSize, FrameSizeProblem) };
        if (element.TryGetProperty(FrameReadTimeout, out v))
            r = r with { FrameReadTimeout = LayoutLoader.ReadDuration(source, v, LayoutFields.Join(path, FrameReadTimeout)) };
        if (element.TryGetProperty(MaxSubscriptions, out v))
            r = r with { MaxSubscriptions = LayoutLoader.ReadChecked(source, v, path, MaxSubscriptions, CountProblem) };
        if (element.TryGetProperty(WebSocketAppLabels, out v))
            r = r with { WebSocketAppLabels = LayoutLoader.ReadChecked(source, v, path, WebSocketAppLabels, AppLabelsProblem) };
        if (element.TryGetProperty(WebSocketMaxConnections, out v))
            r = r with { WebSocketMaxConnections = LayoutLoader.ReadChecked(source, v, path, WebSocketMaxConnections, CountProblem) };
        if (element.TryGetProperty(WebSocketMaxConnectionsPerAddress, out v))
            r = r with { WebSocketMaxConnectionsPerAddress = LayoutLoader.ReadChecked(source, v, path, WebSocketMaxConnectionsPerAddress, CountProblem) };
        if (element.TryGetProperty(MaxLocalSubscriptions, out v))
            r = r with { MaxLocalSubscriptions = LayoutLoader.ReadChecked(source, v, path, MaxLocalSubscriptions, CountProblem) };
        return r;
    }

    /// <summary>Writes the settings that differ from <paramref name="baseline"/> (all of them when it is null).</summary>
    public static void Write(Utf8JsonWriter w, LimitSettings l, LimitSettings? baseline)
    {
        w.WriteStartObject();
        if (baseline is null || l.MaxConnections != baseline.MaxConnections) w.WriteNumber(MaxConnections, l.MaxConnections);
        if (baseline is null || l.MaxConnectionsPerAddress != baseline.MaxConnectionsPerAddress) w.WriteNumber(MaxConnectionsPerAddress, l.MaxConnectionsPerAddress);
        if (baseline is null || l.HandshakeMaxBytes != baseline.HandshakeMaxBytes) w.WriteNumber(HandshakeMaxBytes, l.HandshakeMaxBytes);
        if (baseline is null || l.MaxFrameSize != baseline.MaxFrameSize) w.WriteNumber(MaxFrameSize, l.MaxFrameSize);
        if (baseline is null || l.FrameReadTimeout != baseline.FrameReadTimeout) w.WriteString(FrameReadTimeout, LayoutDuration.Format(l.FrameReadTimeout));
        if (baseline is null || l.MaxSubscriptions != baseline.MaxSubscriptions) w.WriteNumber(MaxSubscriptions, l.MaxSubscriptions);
        if (baseline is null || l.WebSocketAppLabels != baseline.WebSocketAppLabels) w.WriteNumber(WebSocketAppLabels, l.WebSocketAppLabels);
        if (baseline is null || l.WebSocketMaxConnections != baseline.WebSocketMaxConnections) w.WriteNumber(WebSocketMaxConnections, l.WebSocketMaxConnections);
        if (baseline is null || l.WebSocketMaxConnectionsPerAddress != baseline.WebSocketMaxConnectionsPerAddress)
            w.WriteNumber(WebSocketMaxConnectionsPerAddress, l.WebSocketMaxConnectionsPerAddress);
        if (baseline is null || l.MaxLocalSubscriptions != baseline.MaxLocalSubscriptions) w.WriteNumber(MaxLocalSubscriptions, l.MaxLocalSubscriptions);
        w.WriteEndObject();
    }

    /// <summary>Runs the value rules on typed settings; <paramref name="check"/> throws for the first problem.</summary>
    public static void Validate(LimitSettings l, string path, Action<string, string, string?> check)
    {
        check(path, MaxConnections, CountProblem(l.MaxConnections));
        check(path, MaxConnectionsPerAddress, CountProblem(l.MaxConnectionsPerAddress));
        check(path, HandshakeMaxBytes, FrameSizeProblem(l.HandshakeMaxBytes));
        check(path, MaxFrameSize, FrameSizeProblem(l.MaxFrameSize));
        check(path, FrameReadTimeout, LayoutRules.IntervalProblem(l.FrameReadTimeout));
        check(path, MaxSubscriptions, CountProblem(l.MaxSubscriptions));
        check(path, WebSocketAppLabels, AppLabelsProblem(l.WebSocketAppLabels));
        check(path, WebSocketMaxConnections, CountProblem(l.WebSocketMaxConnections));
        check(path, WebSocketMaxConnectionsPerAddress, CountProblem(l.WebSocketMaxConnectionsPerAddress));
        check(path, MaxLocalSubscriptions, CountProblem(l.MaxLocalSubscriptions));
    }
}
