using System.Collections.Immutable;
using System.Net;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Peering;

/// <summary>
/// What a publish queues for the peerings it reaches (<see cref="PublishEncoding"/>): the message itself when it reaches
/// one, encoded later by that peering's drain loop, and one shared encoding when it reaches more. A deferred message
/// must put exactly the bytes of the eager encoding on the wire.
/// </summary>
public class PublishEncodingTests
{
    private const string Topic = "zeek/logs/conn";

    /// <summary>A peering's queue, as the publish sees it.</summary>
    private sealed class Queue : IFrameQueue
    {
        public List<object> Frames { get; } = [];
        public void Enqueue(object frame) => Frames.Add(frame);
    }

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
    public void A_publish_reaching_one_peering_queues_the_message_which_writes_the_bytes_of_the_encoding(string what, Value value)
    {
        var expected = FrameCodec.EncodeData(Topic, value);
        var queue = new Queue();
        var encoding = new PublishEncoding(Topic, value);
        encoding.Offer(queue);
        Assert.Empty(queue.Frames); // held back until the publish ends: a second peering would change it
        encoding.Finish();
        var frame = Assert.IsType<DeferredFrame>(Assert.Single(queue.Frames));
        Assert.Equal(expected.Length, QueuedFrame.LengthOf(frame));
        // Written over 0xFF: a byte the deferred encoding skipped would show.
        var written = Enumerable.Repeat((byte)0xFF, frame.Length).ToArray();
        QueuedFrame.Write(frame, written);
        Assert.True(expected.AsSpan().SequenceEqual(written), what);
    }

    [Fact]
    public void A_publish_reaching_several_peerings_queues_one_shared_encoding_for_all_of_them()
    {
        var value = Value.Of("payload");
        Queue[] queues = [new(), new(), new()];
        var encoding = new PublishEncoding(Topic, value);
        foreach (var queue in queues) encoding.Offer(queue);
        encoding.Finish();
        var shared = Assert.IsType<byte[]>(Assert.Single(queues[0].Frames));
        Assert.Equal(FrameCodec.EncodeData(Topic, value), shared);
        foreach (var queue in queues) Assert.Same(shared, Assert.Single(queue.Frames));
        Assert.Equal(shared.Length, QueuedFrame.LengthOf(shared));
        var copied = new byte[shared.Length];
        QueuedFrame.Write(shared, copied);
        Assert.Equal(shared, copied);
    }

    [Fact]
    public void Containers_are_encoded_at_once_even_for_a_single_peering()
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
            var queue = new Queue();
            var encoding = new PublishEncoding(Topic, container);
            encoding.Offer(queue);
            var frame = Assert.IsType<byte[]>(Assert.Single(queue.Frames));
            Assert.Equal(FrameCodec.EncodeData(Topic, container), frame);
            encoding.Finish();
            Assert.Single(queue.Frames);
        }
    }

    [Fact]
    public void A_value_that_cannot_be_encoded_fails_before_any_peering_queues_anything()
    {
        var queue = new Queue();
        var encoding = new PublishEncoding(Topic, Value.Of("lone \uD800 surrogate"));
        Assert.ThrowsAny<ArgumentException>(() => encoding.Offer(queue));
        Assert.Empty(queue.Frames);
    }
}
