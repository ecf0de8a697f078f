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

    public static string[] Properties => [.. Fields.Select(f => f.Name)];

    public static string? CountProblem(long value) => LayoutRules.RangeProblem(value, 1, MaxCount);

    public static string? AppLabelsProblem(long value) => LayoutRules.RangeProblem(value, 0, MaxAppLabels);

    public static string? FrameSizeProblem(long value) => LayoutRules.RangeProblem(value, 64, EndpointOptions.MaxMaxFrameSize);

    /// <summary>
    /// One setting of the section: how it is read (with its rule), written and checked. One table serves all three,
    /// in the order of <see cref="Properties"/>, so a new budget is one line here and one property in <see cref="LimitSettings"/>.
    /// </summary>
    private sealed record Field(
        string Name,
        Func<string, JsonElement, string, LimitSettings, LimitSettings> Read,
        Action<Utf8JsonWriter, LimitSettings> Write,
        Func<LimitSettings, LimitSettings, bool> Differs,
        Func<LimitSettings, string?> Problem);

    private static Field Count(string name, Func<LimitSettings, int> get, Func<LimitSettings, int, LimitSettings> set, Func<long, string?> rule) =>
        new(name,
            (source, value, path, settings) => set(settings, LayoutLoader.ReadChecked(source, value, path, name, rule)),
            (w, settings) => w.WriteNumber(name, get(settings)),
            (a, b) => get(a) != get(b),
            settings => rule(get(settings)));

    private static readonly Field[] Fields =
    [
        Count(MaxConnections, l => l.MaxConnections, (l, v) => l with { MaxConnections = v }, CountProblem),
        Count(MaxConnectionsPerAddress, l => l.MaxConnectionsPerAddress, (l, v) => l with { MaxConnectionsPerAddress = v }, CountProblem),
        Count(HandshakeMaxBytes, l => l.HandshakeMaxBytes, (l, v) => l with { HandshakeMaxBytes = v }, FrameSizeProblem),
        Count(MaxFrameSize, l => l.MaxFrameSize, (l, v) => l with { MaxFrameSize = v }, FrameSizeProblem),
        new(FrameReadTimeout,
            (source, value, path, l) => l with { FrameReadTimeout = LayoutLoader.ReadDuration(source, value, LayoutFields.Join(path, FrameReadTimeout)) },
            (w, l) => w.WriteString(FrameReadTimeout, LayoutDuration.Format(l.FrameReadTimeout)),
            (a, b) => a.FrameReadTimeout != b.FrameReadTimeout,
            l => LayoutRules.IntervalProblem(l.FrameReadTimeout)),
        Count(MaxSubscriptions, l => l.MaxSubscriptions, (l, v) => l with { MaxSubscriptions = v }, CountProblem),
        Count(WebSocketAppLabels, l => l.WebSocketAppLabels, (l, v) => l with { WebSocketAppLabels = v }, AppLabelsProblem),
        Count(WebSocketMaxConnections, l => l.WebSocketMaxConnections, (l, v) => l with { WebSocketMaxConnections = v }, CountProblem),
        Count(WebSocketMaxConnectionsPerAddress, l => l.WebSocketMaxConnectionsPerAddress,
            (l, v) => l with { WebSocketMaxConnectionsPerAddress = v }, CountProblem),
        Count(MaxLocalSubscriptions, l => l.MaxLocalSubscriptions, (l, v) => l with { MaxLocalSubscriptions = v }, CountProblem),
    ];

    /// <summary>Applies the settings present in <paramref name="element"/> over <paramref name="baseline"/>.</summary>
    public static LimitSettings Read(string source, JsonElement element, string path, LimitSettings baseline)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new LayoutException(source, path, $"expected an object, got {LayoutLoader.Describe(element)}");
        LayoutLoader.CheckProperties(source, element, path, Properties);
        var settings = baseline;
        foreach (var field in Fields)
        {
            if (element.TryGetProperty(field.Name, out var value)) settings = field.Read(source, value, path, settings);
        }
        return settings;
    }

    /// <summary>Writes the settings that differ from <paramref name="baseline"/> (all of them when it is null).</summary>
    public static void Write(Utf8JsonWriter w, LimitSettings l, LimitSettings? baseline)
    {
        w.WriteStartObject();
        foreach (var field in Fields)
        {
            if (baseline is null || field.Differs(l, baseline)) field.Write(w, l);
        }
        w.WriteEndObject();
    }

    /// <summary>Runs the value rules on typed settings; <paramref name="check"/> throws for the first problem.</summary>
    public static void Validate(LimitSettings l, string path, Action<string, string, string?> check)
    {
        foreach (var field in Fields) check(path, field.Name, field.Problem(l));
    }
}
