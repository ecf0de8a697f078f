using Spillway.Engine.Data;

namespace Spillway.Engine.Tests.Data;

public class ValueEqualityTests
{
    private static readonly Value A = Value.Of("a"), B = Value.Of("b");

    [Fact]
    public void Sets_ignore_order_and_refuse_duplicates()
    {
        Assert.Equal(new SetValue(A, B), new SetValue(B, A));
        Assert.NotEqual(new SetValue(A), new SetValue(A, B));
        Assert.Equal(new SetValue(A, B).GetHashCode(), new SetValue(B, A).GetHashCode());
        Assert.Equal("set holds a duplicate element at index 2 (Parameter 'items')",
            Assert.Throws<ArgumentException>(() => new SetValue(A, B, A)).Message);
        Assert.Equal("table holds a duplicate key at entry 1 (Parameter 'entries')",
            Assert.Throws<ArgumentException>(() => new TableValue(new KeyValuePair<Value, Value>(A, A), new KeyValuePair<Value, Value>(A, B))).Message);
    }

    [Fact]
    public void Tables_ignore_entry_order_and_compare_keys_and_values()
    {
        var ab = new TableValue(new KeyValuePair<Value, Value>(A, B), new KeyValuePair<Value, Value>(B, A));
        var ba = new TableValue(new KeyValuePair<Value, Value>(B, A), new KeyValuePair<Value, Value>(A, B));
        var aa = new TableValue(new KeyValuePair<Value, Value>(A, A), new KeyValuePair<Value, Value>(B, A));
        Assert.Equal(ab, ba);
        Assert.NotEqual(ab, aa);
    }

    [Fact]
    public void Vectors_are_order_sensitive()
    {
        Assert.NotEqual(new VectorValue(A, B), new VectorValue(B, A));
        Assert.Equal(new VectorValue(A, B), new VectorValue(A, B));
    }

    [Fact]
    public void Containers_nested_32_deep_compare_equal_and_differ_at_the_innermost_value()
    {
        // Each level holds the nested value and one scalar: comparing in both directions per level (2^32 steps)
        // would never finish; the one-pass match takes one step per level.
        Value Nest(Value leaf)
        {
            var v = leaf;
            for (var i = 0; i < 32; i++)
                v = i % 2 == 0
                    ? new SetValue(v, Value.Of((long)i))
                    : new TableValue(new KeyValuePair<Value, Value>(Value.Of((long)i), v), new KeyValuePair<Value, Value>(Value.Of(-1L), Value.None));
            return v;
        }
        Assert.Equal(Nest(A), Nest(A));
        Assert.NotEqual(Nest(A), Nest(B));
    }
}
