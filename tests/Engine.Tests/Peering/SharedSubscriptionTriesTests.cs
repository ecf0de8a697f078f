using System.Runtime.CompilerServices;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

public class SharedSubscriptionTriesTests
{
    [Fact]
    public void Equal_prefix_sets_in_any_order_share_one_trie_and_other_sets_do_not()
    {
        var tag = Guid.NewGuid().ToString("N");
        string[] set = [$"{tag}/a/", $"{tag}/b/", $"{tag}/c"];
        var first = SharedSubscriptionTries.For(set);
        var reordered = SharedSubscriptionTries.For([set[2], set[0], set[1]]);
        var copied = SharedSubscriptionTries.For(set.Select(p => new string(p.AsSpan())).ToArray());
        Assert.Same(first, reordered);
        Assert.Same(first, copied);

        Assert.NotSame(first, SharedSubscriptionTries.For([set[0], set[1]]));
        Assert.NotSame(first, SharedSubscriptionTries.For([.. set, set[0]])); // a duplicate counts: Count differs
        Assert.Equal(4, SharedSubscriptionTries.For([.. set, set[0]]).Count);

        Assert.True(first.Matches($"{tag}/b/x"));
        Assert.True(first.Matches($"{tag}/cc"));
        Assert.False(first.Matches($"{tag}/d"));
    }

    [Fact]
    public void Sets_nobody_holds_are_swept_so_the_table_stays_bounded()
    {
        var tag = Guid.NewGuid().ToString("N");
        for (var round = 0; round < 20; round++)
        {
            CreateUnheld(tag, round, 1000);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        // 20,000 sets were made and none is held. Without sweeping the table would hold them all; with it, at most the
        // sets made since the last collection, twice over, plus what other tests hold right now.
        Assert.InRange(SharedSubscriptionTries.Count, 0, 4_100);
        // A set still in use survives every sweep.
        string[] held = [$"{tag}/held/"];
        var trie = SharedSubscriptionTries.For(held);
        CreateUnheld(tag, 99, 5000);
        GC.Collect();
        CreateUnheld(tag, 100, 5000);
        Assert.Same(trie, SharedSubscriptionTries.For(held));
        GC.KeepAlive(trie);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateUnheld(string tag, int round, int count)
    {
        for (var i = 0; i < count; i++) SharedSubscriptionTries.For([$"{tag}/{round}/{i}/"]);
    }
}
