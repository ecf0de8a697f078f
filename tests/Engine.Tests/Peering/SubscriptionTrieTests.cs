using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

public class SubscriptionTrieTests
{
    private static bool Scan(IEnumerable<string> prefixes, string topic) => prefixes.Any(p => topic.StartsWith(p, StringComparison.Ordinal));

    [Theory]
    [InlineData("a/b/c", true)]
    [InlineData("a/b", true)]
    [InlineData("a/", false)]
    [InlineData("zebra", true)]
    [InlineData("zeb", false)]
    [InlineData("", false)]
    [InlineData("x/y/z/long/topic", true)]
    [InlineData("x/y", false)]
    [InlineData("ab", false)]
    public void Matches_exactly_what_a_scan_matches(string topic, bool expected)
    {
        string[] prefixes = ["a/b", "a/bc", "zebra", "x/y/", "a/b/c/d", "x/y/z"];
        var trie = new SubscriptionTrie(prefixes);
        Assert.Equal(expected, trie.Matches(topic));
        Assert.Equal(Scan(prefixes, topic), trie.Matches(topic));
    }

    [Fact]
    public void The_empty_prefix_matches_everything_and_no_prefix_matches_nothing()
    {
        Assert.True(new SubscriptionTrie(["", "a"]).Matches(""));
        Assert.True(new SubscriptionTrie(["b", ""]).Matches("anything"));
        Assert.False(SubscriptionTrie.Empty.Matches(""));
        Assert.False(new SubscriptionTrie([]).Matches("a"));
    }

    [Fact]
    public void Random_prefix_sets_agree_with_a_scan()
    {
        var random = new Random(1234);
        const string alphabet = "ab/é\u4e16";
        string Word(int max) => new(Enumerable.Range(0, random.Next(max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        for (var round = 0; round < 300; round++)
        {
            var prefixes = Enumerable.Range(0, random.Next(12)).Select(_ => Word(5)).ToArray();
            var trie = new SubscriptionTrie(prefixes);
            for (var t = 0; t < 40; t++)
            {
                var topic = Word(7);
                Assert.True(Scan(prefixes, topic) == trie.Matches(topic), $"[{string.Join(", ", prefixes)}] vs '{topic}'");
            }
        }
    }

    [Fact]
    public void Very_long_prefixes_build_without_deep_recursion()
    {
        var a = new string('a', 2_000_000);
        var trie = new SubscriptionTrie([a + "x", a + "y", string.Concat(Enumerable.Range(0, 3000).Select(i => new string('b', i) + "c"))]);
        Assert.True(trie.Matches(a + "y/more"));
        Assert.False(trie.Matches(a + "z"));
        Assert.False(trie.Matches(a));
    }

    [Fact]
    public void With_every_prefix_it_names_each_prefix_of_a_topic_shortest_first_even_shadowed_ones()
    {
        var trie = new SubscriptionTrie(["a/b", "", "a/b", "a/", "a/b/c/d", "x", "a/bc"], everyPrefix: true);
        Assert.Equal(["", "a/", "a/b", "a/b/c/d", "a/bc", "x"], trie.Prefixes);
        Assert.Equal(["", "a/", "a/b"], Matched(trie, "a/b/c"));
        Assert.Equal(["", "a/", "a/b", "a/b/c/d"], Matched(trie, "a/b/c/d/e"));
        Assert.Equal(["", "a/", "a/b", "a/bc"], Matched(trie, "a/bc"));
        Assert.Equal([""], Matched(trie, "b"));
        Assert.Empty(Matched(new SubscriptionTrie([], everyPrefix: true), "a"));
    }

    [Fact]
    public void Random_prefix_sets_enumerate_what_a_scan_finds()
    {
        var random = new Random(4321);
        const string alphabet = "ab/é";
        string Word(int max) => new(Enumerable.Range(0, random.Next(max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        for (var round = 0; round < 300; round++)
        {
            var prefixes = Enumerable.Range(0, random.Next(12)).Select(_ => Word(5)).ToArray();
            var trie = new SubscriptionTrie(prefixes, everyPrefix: true);
            for (var t = 0; t < 40; t++)
            {
                var topic = Word(7);
                var expected = prefixes.Distinct().Where(p => topic.StartsWith(p, StringComparison.Ordinal)).OrderBy(p => p.Length).ToArray();
                Assert.True(expected.SequenceEqual(Matched(trie, topic)), $"[{string.Join(", ", prefixes)}] vs '{topic}'");
            }
        }
    }

    private static List<string> Matched(SubscriptionTrie trie, string topic)
    {
        var found = new List<string>();
        foreach (var index in trie.EnumerateMatches(topic)) found.Add(trie.Prefixes[index]);
        return found;
    }
}
