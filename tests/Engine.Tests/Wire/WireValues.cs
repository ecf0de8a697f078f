using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Wire;

/// <summary>A value to and from its wire bytes, for the codec tests.</summary>
internal static class WireValues
{
    /// <summary>The value's encoding, in an array of exactly the size the codec computed for it.</summary>
    public static byte[] Encode(Value value)
    {
        var bytes = new byte[ValueCodec.GetEncodedSize(value)];
        var writer = new WireWriter(bytes);
        ValueCodec.Write(ref writer, value);
        Assert.Equal(bytes.Length, writer.Written);
        return bytes;
    }
}
