using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// What a queued client message weighs against <see cref="EndpointOptions.WebSocketBufferBytes"/>: an estimate of the
/// managed memory it holds (a client buffer keeps decoded values, not frames). Strings count two bytes per character
/// (an ASCII message value off the wire one, until read: <see cref="StringValue"/>),
/// every value its object header and fields, containers their slots, so a message of many small items is not
/// mistaken for a light one. Computed once per push on the publishing thread, outside any lock.
/// </summary>
internal static class ClientMessageWeight
{
    private const int ObjectHeader = 24;
    private const int StringHeader = 22;
    private const int ArrayHeader = 24;

    public static int Of(ClientMessage message)
    {
        var weight = StringWeight(message.Topic) + Of(message.Value);
        return weight > int.MaxValue ? int.MaxValue : (int)weight;
    }

    private static long StringWeight(string s) => StringHeader + 2L * s.Length;

    /// <summary>
    /// A string off the wire as ASCII holds its bytes, and its text once read: local subscribers, which run before
    /// clients are offered the message, have read it by now if they read it at all. Reading it later, on another
    /// thread, is not counted; the weight must not change after the push, which the pop subtracts.
    /// </summary>
    private static long StringValueWeight(StringValue s)
    {
        if (!s.TryGetUtf8(out var ascii)) return StringWeight(s.Value);
        var decoded = s.DecodedOrNull;
        return ArrayHeader + ascii.Length + (decoded is null ? 0 : StringWeight(decoded));
    }

    private static long Of(Value value) => value switch
    {
        // Shared singletons (none, true, false) still take a slot where they are referenced.
        NoneValue or BooleanValue => 8,
        StringValue s => ObjectHeader + StringValueWeight(s),
        EnumValue e => ObjectHeader + StringWeight(e.Name),
        AddressValue or SubnetValue => ObjectHeader + 64,
        VectorValue v => ObjectHeader + Items(v.Items),
        SetValue s => ObjectHeader + Items(s.Items),
        TableValue t => ObjectHeader + Entries(t),
        _ => ObjectHeader + 8,
    };

    private static long Items(System.Collections.Immutable.ImmutableArray<Value> items)
    {
        if (items.IsDefault) return 0;
        long weight = ObjectHeader + 8L * items.Length;
        foreach (var item in items) weight += item is null ? 0 : Of(item);
        return weight;
    }

    private static long Entries(TableValue table)
    {
        if (table.Entries.IsDefault) return 0;
        long weight = ObjectHeader + 16L * table.Entries.Length;
        foreach (var entry in table.Entries)
            weight += (entry.Key is null ? 0 : Of(entry.Key)) + (entry.Value is null ? 0 : Of(entry.Value));
        return weight;
    }
}
