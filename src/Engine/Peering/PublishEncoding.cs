using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// What one publish queues for the peerings it reaches. If it reaches one, that peering gets the message itself, in a
/// <see cref="DeferredFrame"/> its drain loop encodes straight into the write chunk: the publishing thread allocates
/// 40 bytes instead of a frame, and encodes and copies nothing. If it reaches more, they all share one encoded frame,
/// as a fan-out should. The first peering is therefore held back until the second shows up or the publish ends
/// (<see cref="Finish"/>).
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
    private int _length;
    private byte[]? _frame;
    private IFrameQueue? _held;

    /// <summary>Queues the message for <paramref name="peer"/>, now or at <see cref="Finish"/>.</summary>
    public void Offer(IFrameQueue peer)
    {
        if (_length == 0) _length = FrameCodec.DataFrameSize(topic, value);
        if (_frame is null)
        {
            if (_held is null && !IsContainer(value))
            {
                _held = peer;
                return;
            }
            _frame = FrameCodec.EncodeData(topic, value, _length);
            if (_held is not null)
            {
                _held.Enqueue(_frame);
                _held = null;
            }
        }
        peer.Enqueue(_frame);
    }

    /// <summary>Ends the publish: a peering held back alone gets the message itself.</summary>
    public void Finish()
    {
        if (_held is null) return;
        _held.Enqueue(new DeferredFrame(topic, value, _length));
        _held = null;
    }

    private static bool IsContainer(Value value) => value.Kind is ValueKind.Vector or ValueKind.Set or ValueKind.Table;
}
