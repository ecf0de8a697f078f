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
}
