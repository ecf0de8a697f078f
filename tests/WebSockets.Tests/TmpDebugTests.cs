using Spillway.Engine.Json;
using Spillway.Engine.Wire;
using Xunit.Abstractions;

namespace Spillway.WebSockets.Tests;

public class TmpDebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Codecs()
    {
        for (var i = 0; i < RoundTripTests.AllTypes.Length; i++)
        {
            var v = RoundTripTests.AllTypes[i];
            output.WriteLine($"{i}: {v.Kind}");
            var frame = FrameCodec.EncodeData("/t", v);
            var (_, back) = FrameCodec.DecodeData(frame.AsSpan(5));
            Assert.Equal(v, back);
            var json = BrokerJson.EncodeDataMessage("/t", back);
            var (_, again) = BrokerJson.ParseDataMessage(json);
            Assert.Equal(v, again);
        }
    }
}
