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
        foreach (var trie in Strategies(prefixes, everyPrefix: false))
        {
            Assert.Equal(expected, trie.Matches(topic));
            Assert.Equal(Scan(prefixes, topic), trie.Matches(topic));
        }
    }

    [Fact]
    public void The_empty_prefix_matches_everything_and_no_prefix_matches_nothing()
    {
        foreach (var set in Strategies(["", "a"], everyPrefix: false)) Assert.True(set.Matches(""));
        foreach (var set in Strategies(["b", ""], everyPrefix: false)) Assert.True(set.Matches("anything"));
        foreach (var set in Strategies(["b", "c"], everyPrefix: false)) Assert.False(set.Matches(""));
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
            foreach (var set in Strategies(prefixes, everyPrefix: false))
            {
                for (var t = 0; t < 40; t++)
                {
                    var topic = Word(7);
                    Assert.True(Scan(prefixes, topic) == set.Matches(topic), $"[{string.Join(", ", prefixes)}] vs '{topic}', hashed {set.IsHashed}");
                }
            }
        }
    }

    /// <summary>The same prefixes as the default picks, as a trie and hashed: both must agree with a scan.</summary>
    private static SubscriptionTrie[] Strategies(string[] prefixes, bool everyPrefix)
    {
        var sets = new[]
        {
            new SubscriptionTrie(prefixes, everyPrefix),
            new SubscriptionTrie(prefixes, everyPrefix, hashed: false),
            new SubscriptionTrie(prefixes, everyPrefix, hashed: true),
        };
        Assert.True(prefixes.Length == 0 || (!sets[1].IsHashed && sets[2].IsHashed));
        var distinct = everyPrefix ? prefixes.Distinct().Count() : prefixes.Length;
        Assert.Equal(prefixes.Select(p => p.Length).Distinct().Count() <= SubscriptionTrie.MaxHashedLengths && distinct >= SubscriptionTrie.MinHashedPrefixes,
            sets[0].IsHashed);
        return sets;
    }

    [Fact]
    public void Prefixes_of_few_lengths_are_hashed_and_of_many_lengths_walk_the_trie()
    {
        var tenants = Enumerable.Range(0, 1000).Select(i => $"spillway/tenant-{i:D6}/").Append("spillway/").ToArray();
        var hashed = new SubscriptionTrie(tenants);
        Assert.True(hashed.IsHashed);
        Assert.True(hashed.Matches("spillway/tenant-000999/events"));
        Assert.True(hashed.Matches("spillway/other"));
        Assert.False(hashed.Matches("spillway"));
        Assert.False(hashed.Matches("zeek/tenant-000999/"));

        var manyLengths = new SubscriptionTrie(Enumerable.Range(0, 20).Select(i => new string('x', i % 5 + 1) + i).ToArray());
        Assert.False(manyLengths.IsHashed);
        Assert.True(manyLengths.Matches("xxx12/x"));
        Assert.False(manyLengths.Matches("xxx1"));

        var few = new SubscriptionTrie(["bench/tp", "bench/tq"]);
        Assert.False(few.IsHashed);
        Assert.True(few.Matches("bench/tp/x"));
    }

    [Fact]
    public void Very_long_prefixes_build_without_deep_recursion()
    {
        var a = new string('a', 2_000_000);
        foreach (var trie in Strategies([a + "x", a + "y", string.Concat(Enumerable.Range(0, 3000).Select(i => new string('b', i) + "c"))], everyPrefix: false))
        {
            Assert.True(trie.Matches(a + "y/more"));
            Assert.False(trie.Matches(a + "z"));
            Assert.False(trie.Matches(a));
        }
    }

    [Fact]
    public void With_every_prefix_it_names_each_prefix_of_a_topic_shortest_first_even_shadowed_ones()
    {
        foreach (var trie in Strategies(["a/b", "", "a/b", "a/", "a/b/c/d", "x", "a/bc"], everyPrefix: true))
        {
            Assert.Equal(["", "a/", "a/b", "a/b/c/d", "a/bc", "x"], trie.Prefixes);
            Assert.Equal(["", "a/", "a/b"], Matched(trie, "a/b/c"));
            Assert.Equal(["", "a/", "a/b", "a/b/c/d"], Matched(trie, "a/b/c/d/e"));
            Assert.Equal(["", "a/", "a/b", "a/bc"], Matched(trie, "a/bc"));
            Assert.Equal([""], Matched(trie, "b"));
        }
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
            foreach (var set in Strategies(prefixes, everyPrefix: true))
            {
                for (var t = 0; t < 40; t++)
                {
                    var topic = Word(7);
                    var expected = prefixes.Distinct().Where(p => topic.StartsWith(p, StringComparison.Ordinal)).OrderBy(p => p.Length).ToArray();
                    Assert.True(expected.SequenceEqual(Matched(set, topic)), $"[{string.Join(", ", prefixes)}] vs '{topic}', hashed {set.IsHashed}");
                }
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
