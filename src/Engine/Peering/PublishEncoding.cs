using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// What one publish queues for the peerings it reaches: one item, shared by all of them. For a scalar or a string it is
/// the message itself, a <see cref="DeferredFrame"/> that each peering's drain loop encodes straight into its write
/// chunk, where it would otherwise have copied an encoded frame: the publishing thread allocates 40 bytes whatever the
/// number of peerings, and encodes and copies nothing. A container is encoded once, on the publishing thread.
/// </summary>
/// <remarks>
/// The message is sized (and so checked: <see cref="FrameCodec.DataFrameSize"/> throws for a value that cannot be
/// encoded) when the first peering is offered it, before any buffer takes it, so a bad value still fails the publish
/// and its later encoding cannot fail. Values are immutable, so encoding later writes what was published. A deferred
/// message holds its value rather than its encoding until written, which for a string is up to twice the bytes that
/// the buffer's byte bound counts; containers (vectors, sets, tables), whose elements can take many times their encoded
/// size in memory, are always encoded at once, so memory stays within a small multiple of the bound.
/// </remarks>
internal struct PublishEncoding(string topic, Value value)
{
    private object? _item;

    /// <summary>
    /// What every peering reached queues (<see cref="QueuedFrame"/>): made at the first call, the same item after. Throws
    /// for a value that cannot be encoded, before any buffer has taken anything.
    /// </summary>
    public object Item() => _item ??= Create(topic, value);

    private static object Create(string topic, Value value)
    {
        var length = FrameCodec.DataFrameSize(topic, value);
        return value.Kind is ValueKind.Vector or ValueKind.Set or ValueKind.Table
            ? FrameCodec.EncodeData(topic, value, length)
            : new DeferredFrame(topic, value, length);
    }
}
