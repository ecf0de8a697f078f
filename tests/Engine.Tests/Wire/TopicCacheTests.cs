using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Wire;

public class TopicCacheTests
{
    private static byte[] Body(string topic, Value value) => FrameCodec.EncodeData(topic, value)[(FrameCodec.LengthPrefixSize + 1)..];

    [Fact]
    public void A_repeated_topic_is_the_string_decoded_the_first_time()
    {
        var topics = new TopicCache();
        var first = FrameCodec.DecodeData(Body("zeek/logs/conn", Value.Of(1L)), topics);
        var second = FrameCodec.DecodeData(Body("zeek/logs/conn", Value.Of(2L)), topics);
        Assert.Equal("zeek/logs/conn", first.Topic);
        Assert.Same(first.Topic, second.Topic);
        Assert.Equal(Value.Of(2L), second.Value);
        // Without a cache every frame decodes its own string.
        Assert.NotSame(FrameCodec.DecodeData(Body("zeek/logs/conn", Value.Of(1L))).Topic,
            FrameCodec.DecodeData(Body("zeek/logs/conn", Value.Of(1L))).Topic);
    }

    [Fact]
    public void Topics_that_share_a_slot_never_return_each_other()
    {
        // Same length and last four bytes: the same slot, told apart by the bytes themselves.
        string[] names = ["a/xx/m/zz1", "b/xx/m/zz1", "c/xx/m/zz1", "a/xx/m/zz1", "c/xx/m/zz1", "b/xx/m/zz1"];
        Assert.Single(names.Select(n => TopicCache.SlotOf(System.Text.Encoding.UTF8.GetBytes(n))).Distinct());
        var topics = new TopicCache();
        var decoded = names.Select(n => FrameCodec.DecodeData(Body(n, Value.None), topics).Topic).ToArray();
        Assert.Equal(names, decoded);
    }

    [Fact]
    public void Interleaved_topics_in_different_slots_are_all_remembered()
    {
        string[] names = ["zeek/logs/conn", "zeek/logs/dns", "zeek/logs/ssl", "zeek/event/x", "metrics", "a"];
        Assert.Equal(names.Length, names.Select(n => TopicCache.SlotOf(System.Text.Encoding.UTF8.GetBytes(n))).Distinct().Count());
        var topics = new TopicCache();
        var firstRound = names.Select(n => FrameCodec.DecodeData(Body(n, Value.None), topics).Topic).ToArray();
        var secondRound = names.Select(n => FrameCodec.DecodeData(Body(n, Value.None), topics).Topic).ToArray();
        Assert.Equal(names, secondRound);
        for (var i = 0; i < names.Length; i++) Assert.Same(firstRound[i], secondRound[i]);
    }

    [Fact]
    public void A_topic_longer_than_the_limit_is_decoded_every_time()
    {
        var name = new string('t', TopicCache.MaxTopicBytes + 1);
        var topics = new TopicCache();
        var first = FrameCodec.DecodeData(Body(name, Value.None), topics).Topic;
        var second = FrameCodec.DecodeData(Body(name, Value.None), topics).Topic;
        Assert.Equal(name, second);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void A_non_ascii_topic_is_remembered_as_decoded()
    {
        var topics = new TopicCache();
        var first = FrameCodec.DecodeData(Body("caf\u00e9/\u20ac", Value.None), topics).Topic;
        var second = FrameCodec.DecodeData(Body("caf\u00e9/\u20ac", Value.None), topics).Topic;
        Assert.Equal("caf\u00e9/\u20ac", second);
        Assert.Same(first, second);
    }

    [Fact]
    public void An_invalid_topic_is_rejected_and_not_remembered()
    {
        var topics = new TopicCache();
        // Body: topic of 2 bytes "a" + 0xE9 (Latin-1, not UTF-8), then nil.
        byte[] bad = [0x02, 0x61, 0xE9, 0x00];
        var e = Assert.Throws<WireFormatException>(() => FrameCodec.DecodeData(bad, topics));
        Assert.Contains("invalid UTF-8 in string at offset 0", e.Message);
        Assert.False(topics.TryGet([0x61, 0xE9], out _));
        // Rejected again on a second try: nothing was cached under those bytes.
        Assert.Throws<WireFormatException>(() => FrameCodec.DecodeData(bad, topics));
    }
}
