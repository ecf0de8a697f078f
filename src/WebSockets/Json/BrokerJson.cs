using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Json;

/// <summary>
/// Broker's WebSocket JSON API v1 (docs/broker-compat.md): the client's subscription list, data
/// messages in both directions, the ack and the error message. Every value is an object
/// <c>{"@data-type":…,"data":…}</c>; a data message carries its value's two members at top level
/// beside <c>type</c> and <c>topic</c>.
/// </summary>
/// <remarks>
/// Decoding is strict and every failure is a <see cref="BrokerJsonException"/> whose message is the
/// "context" text for <see cref="EncodeError"/>. Encoding a value that JSON cannot carry (a NaN or
/// infinite real, containers nested deeper than <see cref="MaxNestingDepth"/>, a null item) also
/// throws <see cref="BrokerJsonException"/>.
/// </remarks>
internal static class BrokerJson
{
    /// <summary>The error code for any input that cannot be decoded.</summary>
    public const string DeserializationFailed = "deserialization_failed";

    /// <summary>Containers (vector, set, table) may nest at most this many levels; the outermost counts as 1.</summary>
    public const int MaxNestingDepth = 32;

    // The deepest legal value is 32 nested tables: value object, array, entry object per level,
    // plus the innermost value object and its data: 3 * 32 + 2 = 98. Deeper JSON is rejected by
    // the parser itself; anything between is rejected by our own container depth check.
    private const int MaxJsonDepth = 4 * MaxNestingDepth;

    private const string FirstMessageRule = "first message must be a JSON array of topic strings";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowDuplicateProperties = false,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // JSON text only, never embedded in HTML: keep non-ASCII text and '<', '&', '\'' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText TopicProperty = JsonEncodedText.Encode("topic");
    private static readonly JsonEncodedText DataTypeProperty = JsonEncodedText.Encode("@data-type");
    private static readonly JsonEncodedText DataProperty = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText KeyProperty = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueProperty = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText EndpointProperty = JsonEncodedText.Encode("endpoint");
    private static readonly JsonEncodedText VersionProperty = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText CodeProperty = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText ContextProperty = JsonEncodedText.Encode("context");
    private static readonly JsonEncodedText DataMessageType = JsonEncodedText.Encode("data-message");
    private static readonly JsonEncodedText AckType = JsonEncodedText.Encode("ack");
    private static readonly JsonEncodedText ErrorType = JsonEncodedText.Encode("error");

    // ---- decoding ------------------------------------------------------------------------

    /// <summary>Parses the client's first message: a JSON array of topic prefixes (possibly empty).</summary>
    public static IReadOnlyList<string> ParseSubscriptions(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BrokerJsonException($"{FirstMessageRule}; malformed JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                throw new BrokerJsonException($"{FirstMessageRule}, got {Describe(root.ValueKind)}");
            var topics = new string[root.GetArrayLength()];
            int i = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                    throw new BrokerJsonException($"{FirstMessageRule}; element {i} is {Describe(item.ValueKind)}");
                topics[i++] = ReadString(item, "topic");
            }
            return topics;
        }
    }

    /// <summary>
    /// Parses <c>{"type":"data-message","topic":"/foo/bar","@data-type":"count","data":1}</c>;
    /// <c>"type"</c> may be left out.
    /// </summary>
    public static (string Topic, Value Value) ParseDataMessage(ReadOnlySpan<byte> utf8)
    {
        using var document = ParseDocument(utf8);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new BrokerJsonException($"message must be a JSON object, got {Describe(root.ValueKind)}");
        // Broker and Zeek read a message without "type" as a data message (Broker's own error test sends one).
        if (root.TryGetProperty("type"u8, out var type))
        {
            if (type.ValueKind != JsonValueKind.String)
                throw new BrokerJsonException($"message \"type\" must be a string, got {Describe(type.ValueKind)}");
            if (!type.ValueEquals("data-message"u8))
                throw new BrokerJsonException(
                    $"unexpected message type {BrokerJsonText.Quote(ReadString(type, "type"))} (expected 'data-message')");
        }
        if (!root.TryGetProperty("topic"u8, out var topicElement))
            throw new BrokerJsonException("data message lacks \"topic\"");
        if (topicElement.ValueKind != JsonValueKind.String)
            throw new BrokerJsonException($"data message \"topic\" must be a string, got {Describe(topicElement.ValueKind)}");
        string topic = ReadString(topicElement, "topic");
        return (topic, ParseValue(root, depth: 0));
    }

    /// <summary>Parses one value object <c>{"@data-type":…,"data":…}</c> (other members are ignored).</summary>
    /// <remarks>
    /// Values nested <see cref="MaxNestingDepth"/> deep need a JSON depth of up to 98 (32 tables), deeper
    /// than <see cref="JsonDocument"/>'s default limit of 64: parse with <c>MaxDepth = 128</c>.
    /// </remarks>
    public static Value ParseValue(JsonElement element) => ParseValue(element, depth: 0);

    /// <summary>Parses a complete JSON text holding one value object.</summary>
    public static Value ParseValue(ReadOnlySpan<byte> utf8)
    {
        using var document = ParseDocument(utf8);
        return ParseValue(document.RootElement, depth: 0);
    }

    private static JsonDocument ParseDocument(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BrokerJsonException($"malformed JSON: {e.Message}", e);
        }
    }

    /// <param name="depth">How many containers enclose <paramref name="element"/>.</param>
    private static Value ParseValue(JsonElement element, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new BrokerJsonException(
                $"value must be a JSON object with \"@data-type\" and \"data\", got {Describe(element.ValueKind)}");
        if (!element.TryGetProperty("@data-type"u8, out var typeElement))
            throw new BrokerJsonException("value lacks \"@data-type\"");
        if (typeElement.ValueKind != JsonValueKind.String)
            throw new BrokerJsonException($"\"@data-type\" must be a string, got {Describe(typeElement.ValueKind)}");
        var kind = ReadKind(typeElement);
        if (!element.TryGetProperty("data"u8, out var data))
            throw new BrokerJsonException($"value of @data-type '{TypeName(kind)}' lacks \"data\"");

        switch (kind)
        {
            case ValueKind.None:
                if (data.ValueKind == JsonValueKind.Null
                    || (data.ValueKind == JsonValueKind.Object && !data.EnumerateObject().Any()))
                {
                    return NoneValue.Instance;
                }
                throw new BrokerJsonException($"none value must be {{}} or null, got {DescribeData(data)}");
            case ValueKind.Boolean:
                return data.ValueKind switch
                {
                    JsonValueKind.True => BooleanValue.True,
                    JsonValueKind.False => BooleanValue.False,
                    _ => throw new BrokerJsonException($"boolean value must be true or false, got {DescribeData(data)}"),
                };
            case ValueKind.Count:
                return new CountValue(ParseCount(data));
            case ValueKind.Integer:
                return new IntegerValue(ParseInteger(data));
            case ValueKind.Real:
                if (data.ValueKind != JsonValueKind.Number)
                    throw new BrokerJsonException($"real value must be a JSON number, got {DescribeData(data)}");
                if (!data.TryGetDouble(out double real) || !double.IsFinite(real))
                    throw new BrokerJsonException($"real value out of range: {BrokerJsonText.Shorten(data.GetRawText())}");
                return new RealValue(real);
            case ValueKind.Timespan:
                return new TimespanValue(BrokerJsonText.ParseTimespan(RequireString(data, "timespan")));
            case ValueKind.Timestamp:
                return new TimestampValue(BrokerJsonText.ParseTimestamp(RequireString(data, "timestamp")));
            case ValueKind.String:
                return new StringValue(RequireString(data, "string"));
            case ValueKind.EnumValue:
                return new EnumValue(RequireString(data, "enum-value"));
            case ValueKind.Address:
                return new AddressValue(BrokerJsonText.ParseAddress(RequireString(data, "address")));
            case ValueKind.Subnet:
                return BrokerJsonText.ParseSubnet(RequireString(data, "subnet"));
            case ValueKind.Port:
                return BrokerJsonText.ParsePort(RequireString(data, "port"));
            case ValueKind.Vector:
                return new VectorValue(ParseItems(data, "vector", depth + 1));
            case ValueKind.Set:
                return SetValue.TryCreate(ParseItems(data, "set", depth + 1), out var set, out int duplicate)
                    ? set
                    : throw new BrokerJsonException($"set holds a duplicate element at index {duplicate}");
            case ValueKind.Table:
                return TableValue.TryCreate(ParseEntries(data, depth + 1), out var table, out int duplicateKey)
                    ? table
                    : throw new BrokerJsonException($"table holds a duplicate key at entry {duplicateKey}");
            default:
                throw new BrokerJsonException($"unknown @data-type {BrokerJsonText.Quote(ReadString(typeElement, "@data-type"))}");
        }
    }

    // Numbers are checked on their raw UTF-8 text, without a string per value: a set of 160,000 integers
    // is one allocation per element (the value itself), and the error text is only built for a bad one.
    private static ulong ParseCount(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Number)
            throw new BrokerJsonException($"count value must be a JSON number, got {DescribeData(data)}");
        // NumberStyles.None refuses a sign, a point and an exponent; only a refusal looks for which it was.
        var raw = JsonMarshal.GetRawUtf8Value(data);
        if (ulong.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)) return value;
        string shown = BrokerJsonText.Shorten(data.GetRawText());
        if (raw[0] == (byte)'-')
            throw new BrokerJsonException($"count value must not be negative: {shown}");
        if (raw.IndexOf((byte)'.') >= 0)
            throw new BrokerJsonException($"count value must be an unsigned integer without a decimal point: {shown}");
        if (raw.IndexOfAny((byte)'e', (byte)'E') >= 0)
            throw new BrokerJsonException($"count value must be an unsigned integer without an exponent: {shown}");
        throw new BrokerJsonException($"count value does not fit in an unsigned 64-bit integer: {shown}");
    }

    private static long ParseInteger(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Number)
            throw new BrokerJsonException($"integer value must be a JSON number, got {DescribeData(data)}");
        var raw = JsonMarshal.GetRawUtf8Value(data);
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
        string shown = BrokerJsonText.Shorten(data.GetRawText());
        if (raw.IndexOf((byte)'.') >= 0)
            throw new BrokerJsonException($"integer value must be an integer without a decimal point: {shown}");
        if (raw.IndexOfAny((byte)'e', (byte)'E') >= 0)
            throw new BrokerJsonException($"integer value must be an integer without an exponent: {shown}");
        throw new BrokerJsonException($"integer value does not fit in a signed 64-bit integer: {shown}");
    }

    private static ImmutableArray<Value> ParseItems(JsonElement data, string typeName, int level)
    {
        CheckLevel(level);
        if (data.ValueKind != JsonValueKind.Array)
            throw new BrokerJsonException($"{typeName} value must be a JSON array of values, got {DescribeData(data)}");
        var items = ImmutableArray.CreateBuilder<Value>(data.GetArrayLength());
        foreach (var item in data.EnumerateArray())
            items.Add(ParseValue(item, level));
        return items.MoveToImmutable();
    }

    private static ImmutableArray<KeyValuePair<Value, Value>> ParseEntries(JsonElement data, int level)
    {
        CheckLevel(level);
        if (data.ValueKind != JsonValueKind.Array)
            throw new BrokerJsonException(
                $"table value must be a JSON array of {{\"key\":…,\"value\":…}} objects, got {DescribeData(data)}");
        var entries = ImmutableArray.CreateBuilder<KeyValuePair<Value, Value>>(data.GetArrayLength());
        int i = 0;
        foreach (var entry in data.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
                throw new BrokerJsonException(
                    $"table entry {i} must be a JSON object with \"key\" and \"value\", got {Describe(entry.ValueKind)}");
            if (!entry.TryGetProperty("key"u8, out var keyElement))
                throw new BrokerJsonException($"table entry {i} lacks \"key\"");
            if (!entry.TryGetProperty("value"u8, out var valueElement))
                throw new BrokerJsonException($"table entry {i} lacks \"value\"");
            entries.Add(new KeyValuePair<Value, Value>(ParseValue(keyElement, level), ParseValue(valueElement, level)));
            i++;
        }
        return entries.MoveToImmutable();
    }

    private static void CheckLevel(int level)
    {
        if (level > MaxNestingDepth)
            throw new BrokerJsonException($"containers nested deeper than {MaxNestingDepth} levels");
    }

    private static string RequireString(JsonElement data, string typeName)
    {
        if (data.ValueKind != JsonValueKind.String)
            throw new BrokerJsonException($"{typeName} value must be a JSON string, got {DescribeData(data)}");
        return ReadString(data, typeName);
    }

    private static string ReadString(JsonElement element, string what)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new BrokerJsonException($"{what} is not valid UTF-8 text", e);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string DescribeData(JsonElement data) => data.ValueKind switch
    {
        JsonValueKind.Number => "number " + BrokerJsonText.Shorten(data.GetRawText()),
        JsonValueKind.String => "string " + BrokerJsonText.Quote(ReadString(data, "data")),
        var kind => Describe(kind),
    };

    // ---- type names ----------------------------------------------------------------------

    /// <summary>The <c>@data-type</c> name of a kind, e.g. <c>enum-value</c>.</summary>
    public static string TypeName(ValueKind kind) => kind switch
    {
        ValueKind.None => "none",
        ValueKind.Boolean => "boolean",
        ValueKind.Count => "count",
        ValueKind.Integer => "integer",
        ValueKind.Real => "real",
        ValueKind.Timespan => "timespan",
        ValueKind.Timestamp => "timestamp",
        ValueKind.String => "string",
        ValueKind.EnumValue => "enum-value",
        ValueKind.Address => "address",
        ValueKind.Subnet => "subnet",
        ValueKind.Port => "port",
        ValueKind.Vector => "vector",
        ValueKind.Set => "set",
        ValueKind.Table => "table",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a Broker value kind"),
    };

    // The names as UTF-8, matched against the raw text of "@data-type" so that no string is made per value.
    private static readonly (byte[] Name, ValueKind Kind)[] KindsByName =
        [.. Enum.GetValues<ValueKind>().Select(kind => (System.Text.Encoding.UTF8.GetBytes(TypeName(kind)), kind))];

    /// <summary>The kind an <c>"@data-type"</c> string names, or a <see cref="BrokerJsonException"/>.</summary>
    private static ValueKind ReadKind(JsonElement typeElement)
    {
        var raw = JsonMarshal.GetRawUtf8Value(typeElement);
        // A name written with escapes (legal JSON, never seen in practice) takes the slow, exact path.
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            foreach (var (name, kind) in KindsByName)
            {
                if (typeElement.ValueEquals(name)) return kind;
            }
        }
        else
        {
            // The raw text of a string element keeps its quotes.
            var unquoted = raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;
            foreach (var (name, kind) in KindsByName)
            {
                if (unquoted.SequenceEqual(name)) return kind;
            }
        }
        throw new BrokerJsonException($"unknown @data-type {BrokerJsonText.Quote(ReadString(typeElement, "@data-type"))}");
    }

    // ---- encoding ------------------------------------------------------------------------

    /// <summary>Writes one value object <c>{"@data-type":…,"data":…}</c>.</summary>
    public static void WriteValue(Utf8JsonWriter writer, Value value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        WriteValueMembers(writer, value, depth: 0);
        writer.WriteEndObject();
    }

    /// <summary><c>{"type":"data-message","topic":…,"@data-type":…,"data":…}</c> as UTF-8 bytes.</summary>
    public static byte[] EncodeDataMessage(string topic, Value value)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(value);
        return Encode((topic, value), static (writer, state) => WriteDataMessageMembers(writer, state.topic, state.value));
    }

    /// <summary>A writer with the encoder's options, for <see cref="WriteDataMessage"/>; reusable with <see cref="Utf8JsonWriter.Reset(IBufferWriter{byte})"/>.</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, WriterOptions);

    /// <summary>
    /// Writes and flushes one data message into <paramref name="writer"/>: a sender that encodes message after message
    /// reuses one writer and one buffer instead of allocating them per message. After a <see cref="BrokerJsonException"/>
    /// the writer is mid-object: reset it before the next message.
    /// </summary>
    public static void WriteDataMessage(Utf8JsonWriter writer, string topic, Value value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        WriteDataMessageMembers(writer, topic, value);
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteDataMessageMembers(Utf8JsonWriter writer, string topic, Value value)
    {
        writer.WriteString(TypeProperty, DataMessageType);
        writer.WriteString(TopicProperty, topic);
        WriteValueMembers(writer, value, depth: 0);
    }

    /// <summary><c>{"type":"ack","endpoint":"&lt;id&gt;","version":"&lt;v&gt;"}</c> as UTF-8 bytes.</summary>
    public static byte[] EncodeAck(EndpointId endpoint, string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Encode((endpoint, version), static (writer, state) =>
        {
            writer.WriteString(TypeProperty, AckType);
            writer.WriteString(EndpointProperty, state.endpoint.ToString());
            writer.WriteString(VersionProperty, state.version);
        });
    }

    /// <summary><c>{"type":"error","code":…,"context":…}</c> as UTF-8 bytes.</summary>
    public static byte[] EncodeError(string code, string context)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(context);
        return Encode((code, context), static (writer, state) =>
        {
            writer.WriteString(TypeProperty, ErrorType);
            writer.WriteString(CodeProperty, state.code);
            writer.WriteString(ContextProperty, state.context);
        });
    }

    private static byte[] Encode<TState>(TState state, Action<Utf8JsonWriter, TState> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = CreateWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer, state);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <param name="depth">How many containers enclose <paramref name="value"/>.</param>
    private static void WriteValueMembers(Utf8JsonWriter writer, Value value, int depth)
    {
        writer.WriteString(DataTypeProperty, TypeName(value.Kind));
        writer.WritePropertyName(DataProperty);
        switch (value)
        {
            case NoneValue:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case BooleanValue b:
                writer.WriteBooleanValue(b.Value);
                break;
            case CountValue c:
                writer.WriteNumberValue(c.Value);
                break;
            case IntegerValue i:
                writer.WriteNumberValue(i.Value);
                break;
            case RealValue r:
                if (!double.IsFinite(r.Value))
                    throw new BrokerJsonException(
                        $"real value {r.Value.ToString(CultureInfo.InvariantCulture)} cannot be represented in JSON");
                WriteReal(writer, r.Value);
                break;
            case TimespanValue t:
                writer.WriteStringValue(BrokerJsonText.FormatTimespan(t.Nanoseconds));
                break;
            case TimestampValue t:
                writer.WriteStringValue(BrokerJsonText.FormatTimestamp(t.NanosecondsSinceEpoch));
                break;
            case StringValue s when s.TryGetUtf8(out var utf8):
                writer.WriteStringValue(utf8); // as it came off the wire: no UTF-16 copy to transcode back
                break;
            case StringValue s:
                writer.WriteStringValue(s.Value ?? throw new BrokerJsonException("string value is null"));
                break;
            case EnumValue e:
                writer.WriteStringValue(e.Name ?? throw new BrokerJsonException("enum-value name is null"));
                break;
            case AddressValue a:
                writer.WriteStringValue(BrokerJsonText.FormatAddress(
                    a.Address ?? throw new BrokerJsonException("address is null")));
                break;
            case SubnetValue s:
                if (s.Network is null) throw new BrokerJsonException("subnet network is null");
                writer.WriteStringValue(BrokerJsonText.FormatSubnet(s));
                break;
            case PortValue p:
                writer.WriteStringValue(BrokerJsonText.FormatPort(p));
                break;
            case VectorValue v:
                WriteItems(writer, v.Items, "vector", depth + 1);
                break;
            case SetValue s:
                WriteItems(writer, s.Items, "set", depth + 1);
                break;
            case TableValue t:
                CheckLevel(depth + 1);
                writer.WriteStartArray();
                if (!t.Entries.IsDefault)
                {
                    foreach (var entry in t.Entries)
                    {
                        writer.WriteStartObject();
                        writer.WritePropertyName(KeyProperty);
                        WriteItem(writer, entry.Key, "table", depth + 1);
                        writer.WritePropertyName(ValueProperty);
                        WriteItem(writer, entry.Value, "table", depth + 1);
                        writer.WriteEndObject();
                    }
                }
                writer.WriteEndArray();
                break;
            default:
                throw new BrokerJsonException($"value of type {value.GetType().Name} cannot be encoded");
        }
    }

    /// <summary>
    /// Always a JSON double (<c>42.0</c>, never <c>42</c>): Broker's decoder answers an integral number for
    /// a real with <c>deserialization_failed</c>. Shortest text that reads back to the same double.
    /// </summary>
    private static void WriteReal(Utf8JsonWriter writer, double value)
    {
        Span<byte> text = stackalloc byte[40];
        if (!value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
            throw new BrokerJsonException($"real value {value.ToString(CultureInfo.InvariantCulture)} cannot be formatted");
        if (text[..length].IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0)
        {
            text[length++] = (byte)'.';
            text[length++] = (byte)'0';
        }
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    private static void WriteItems(Utf8JsonWriter writer, ImmutableArray<Value> items, string typeName, int level)
    {
        CheckLevel(level);
        writer.WriteStartArray();
        if (!items.IsDefault)
        {
            foreach (var item in items)
                WriteItem(writer, item, typeName, level);
        }
        writer.WriteEndArray();
    }

    private static void WriteItem(Utf8JsonWriter writer, Value? item, string typeName, int level)
    {
        if (item is null) throw new BrokerJsonException($"{typeName} holds a null value");
        writer.WriteStartObject();
        WriteValueMembers(writer, item, level);
        writer.WriteEndObject();
    }
}
