using System.Collections.Immutable;
using System.Net;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Peering;

/// <summary>
/// What a publish queues for the peerings it reaches (<see cref="PublishEncoding"/>): one item shared by all of them,
/// the message itself, encoded later by each peering's drain loop, or for a container its frame, encoded at once. A
/// deferred message must put exactly the bytes of the eager encoding on the wire.
/// </summary>
public class PublishEncodingTests
{
    private const string Topic = "zeek/logs/conn";

    public static TheoryData<string, Value> Scalars => new()
    {
        { "empty string", Value.Of("") },
        { "ascii", Value.Of("hello world") },
        { "two-byte utf-8", Value.Of(new string('é', 300)) },
        { "three-byte utf-8", Value.Of("€uro " + new string('€', 50)) },
        { "surrogate pairs", Value.Of("\U0001F600 and \U0001F680") },
        { "larger than a write chunk", Value.Of(new string('w', 100_000)) },
        { "integer", Value.Of(-42L) },
        { "count", Value.Of(42UL) },
        { "real", Value.Of(3.25) },
        { "boolean", Value.Of(true) },
        { "none", NoneValue.Instance },
        { "address v6", new AddressValue(IPAddress.Parse("2001:db8::1")) },
        { "port", new PortValue(443, PortProtocol.Tcp) },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void A_publish_queues_the_message_itself_which_writes_the_bytes_of_the_encoding(string what, Value value)
    {
        var expected = FrameCodec.EncodeData(Topic, value);
        var encoding = new PublishEncoding(Topic, value);
        var frame = Assert.IsType<DeferredFrame>(encoding.Item());
        Assert.Equal(expected.Length, QueuedFrame.LengthOf(frame));
        // Written over 0xFF: a byte the deferred encoding skipped would show.
        var written = Enumerable.Repeat((byte)0xFF, frame.Length).ToArray();
        QueuedFrame.Write(frame, written);
        Assert.True(expected.AsSpan().SequenceEqual(written), what);
    }

    [Fact]
    public void A_publish_reaching_several_peerings_queues_one_message_for_all_and_each_writes_the_same_bytes()
    {
        var value = Value.Of("payload é \U0001F600");
        var encoding = new PublishEncoding(Topic, value);
        var shared = Assert.IsType<DeferredFrame>(encoding.Item());
        Assert.Same(shared, encoding.Item());
        Assert.Same(shared, encoding.Item());
        var expected = FrameCodec.EncodeData(Topic, value);
        for (var peering = 0; peering < 3; peering++)
        {
            var written = Enumerable.Repeat((byte)0xFF, shared.Length).ToArray();
            QueuedFrame.Write(shared, written);
            Assert.Equal(expected, written);
        }
    }

    [Fact]
    public void Containers_are_encoded_at_once_and_the_frame_shared()
    {
        Value[] containers =
        [
            new VectorValue(Value.Of(1L), Value.Of("two")),
            new SetValue(Value.Of(1L), Value.Of(2L)),
            new TableValue(new KeyValuePair<Value, Value>(Value.Of("k"), Value.Of(1L))),
            new VectorValue(ImmutableArray<Value>.Empty),
        ];
        foreach (var container in containers)
        {
            var encoding = new PublishEncoding(Topic, container);
            var frame = Assert.IsType<byte[]>(encoding.Item());
            Assert.Equal(FrameCodec.EncodeData(Topic, container), frame);
            Assert.Equal(frame.Length, QueuedFrame.LengthOf(frame));
            Assert.Same(frame, encoding.Item());
            var copied = new byte[frame.Length];
            QueuedFrame.Write(frame, copied);
            Assert.Equal(frame, copied);
        }
    }

    [Fact]
    public void A_value_that_cannot_be_encoded_fails_when_the_item_is_made_before_a_peering_pushes_it()
    {
        var encoding = new PublishEncoding(Topic, Value.Of("lone \uD800 surrogate"));
        Assert.ThrowsAny<ArgumentException>(() => encoding.Item());
    }
}
