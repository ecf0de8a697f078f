using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// What a queued client message weighs against <see cref="EndpointOptions.WebSocketBufferBytes"/>: an estimate of the
/// managed memory it holds (a client buffer keeps decoded values, not frames). Strings count two bytes per character,
/// every value its object header and fields, containers their slots, so a message of many small items is not
/// mistaken for a light one. Computed once per push on the publishing thread, outside any lock.
/// </summary>
internal static class ClientMessageWeight
{
    private const int ObjectHeader = 24;
    private const int StringHeader = 22;

    public static int Of(ClientMessage message)
    {
        var weight = StringWeight(message.Topic) + Of(message.Value);
        return weight > int.MaxValue ? int.MaxValue : (int)weight;
    }

    private static long StringWeight(string s) => StringHeader + 2L * s.Length;

    private static long Of(Value value) => value switch
    {
        // Shared singletons (none, true, false) still take a slot where they are referenced.
        NoneValue or BooleanValue => 8,
        StringValue s => ObjectHeader + StringWeight(s.Value),
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
