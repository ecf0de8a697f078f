namespace Spillway.Engine.Peering;

/// <summary>
/// What a peering's send buffer holds: a <c>byte[]</c>, an encoded data or control frame shared with other buffers
/// and never written into, or a <see cref="DeferredFrame"/>, encoded when written. One reference per ring slot, so a
/// push under fan-out writes as little as it did when every item was an encoded frame: a 24-byte slot holding the
/// message and topic in place made each added peer cost the publishing thread about a fifth more CPU.
/// </summary>
internal static class QueuedFrame
{
    /// <summary>Bytes of <paramref name="item"/>'s frame on the wire.</summary>
    public static int LengthOf(object item) => item is byte[] frame ? frame.Length : ((DeferredFrame)item).Length;

    /// <summary>Writes <paramref name="item"/>'s frame into <paramref name="destination"/>, which holds exactly its length.</summary>
    public static void Write(object item, Span<byte> destination)
    {
        if (item is byte[] frame) frame.CopyTo(destination);
        else ((DeferredFrame)item).WriteTo(destination);
    }
}
