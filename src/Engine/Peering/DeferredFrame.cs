using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// A published message queued unencoded, one instance shared by every peering its publish reached: each peering's
/// drain loop encodes it straight into its write chunk (<see cref="PublishEncoding"/>). Forty bytes where the encoded
/// frame would be the message's size again, and no copy on the publishing thread. Immutable, so drain loops on
/// several threads may write it at once.
/// </summary>
internal sealed class DeferredFrame(string topic, Value value, int length)
{
    /// <summary>Its frame's size on the wire (<see cref="FrameCodec.DataFrameSize"/>), counted by the byte bound.</summary>
    public int Length => length;

    /// <summary>Writes the frame into <paramref name="destination"/>, which holds exactly <see cref="Length"/> bytes.</summary>
    public void WriteTo(Span<byte> destination) => FrameCodec.WriteData(destination, topic, value);
}
