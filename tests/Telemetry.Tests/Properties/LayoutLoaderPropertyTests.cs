using CsCheck;
using Spillway.Telemetry.Layout;
using Spillway.Telemetry.Tests.Layout;

namespace Spillway.Telemetry.Tests.Properties;

/// <summary>
/// Random and mutated layouts into the loader: it returns a layout or throws <see cref="LayoutException"/>
/// (which start-up turns into exit 2 naming the field), never anything else. Short in CI;
/// <c>SPILLWAY_PROPERTY_ITERATIONS=1000000</c> for the long run.
/// </summary>
public class LayoutLoaderPropertyTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("SPILLWAY_PROPERTY_ITERATIONS"), out var n) ? n : 2_000;

    private static readonly string[] BufferFields =
    [
        LayoutFields.PeerBufferSize, LayoutFields.PeerOverflowPolicy, LayoutFields.WebSocketBufferSize,
        LayoutFields.WebSocketOverflowPolicy, LayoutFields.StatsResetInterval, "unknown_field",
    ];

    private static readonly string[] NodeFields =
    [
        LayoutFields.Name, LayoutFields.Role, LayoutFields.Host, LayoutFields.PeeringPort, LayoutFields.MetricsPort,
        LayoutFields.WebSocketPort, LayoutFields.InboundMessagesPerSecond, LayoutFields.SocketBufferBytes, LayoutFields.Buffers,
    ];

    // Values near every edge the loader checks: sizes, ports, durations, names, policies, roles.
    private static readonly string[] Scalars =
    [
        "0", "1", "-1", "100", "65535", "65536", "268435456", "2147483647", "2147483648", "9223372036854775808", "1.5",
        "1e3", "true", "null", "\"\"", "\"manager\"", "\"worker\"", "\"logger\"", "\"proxy\"", "\"worker-1\"",
        "\"disconnect\"", "\"drop_oldest\"", "\"drop_newest\"", "\"10s\"", "\"1m\"", "\"0s\"", "\"-1s\"",
        "\"99999999999h\"", "\"127.0.0.1\"", "\"::1\"", "\"a b\"", "\"\\u0000\"", "[]", "{}",
    ];

    private static Gen<string> Object(string[] fields, Gen<string> value) =>
        Gen.Select(Gen.OneOf(fields), value).Array[0, 6]
            .Select(members => "{" + string.Join(",", members.Select(m => $"\"{m.Item1}\":{m.Item2}")) + "}");

    private static readonly Gen<string> Buffers = Object(BufferFields, Gen.OneOf(Scalars));

    private static readonly Gen<string> Node = Object(NodeFields, Gen.Frequency((8, Gen.OneOf(Scalars)), (1, Buffers)));

    private static readonly Gen<string> Layouts = Gen.Select(Buffers, Node.Array[0, 4], Gen.Int[0, 3],
        (buffers, nodes, shape) => shape switch
        {
            0 => $"{{\"nodes\":[{string.Join(",", nodes)}]}}",
            1 => $"{{\"buffers\":{buffers},\"nodes\":[{string.Join(",", nodes)}]}}",
            2 => $"{{\"buffers\":{buffers}}}",
            _ => $"[{string.Join(",", nodes)}]",
        });

    private static readonly Gen<Func<string, string>> Mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue],
        Gen.OneOf('"', '{', '}', '[', ']', ',', ':', '/', '*', '0', '9', '-', 'e', ' ', 'x'),
        (kind, at, c) => (Func<string, string>)(text =>
        {
            if (text.Length == 0) return c.ToString();
            int i = at % text.Length;
            return kind switch
            {
                0 => text.Remove(i, 1).Insert(i, c.ToString()),
                1 => text.Remove(i, 1),
                2 => text.Insert(i, c.ToString()),
                _ => text[..i],
            };
        }));

    private static void Load(string json)
    {
        try
        {
            LayoutLoader.Parse(json, "random.json");
        }
        catch (LayoutException e)
        {
            Assert.StartsWith("random.json: ", e.Message);
        }
    }

    [Fact]
    public void Random_layouts_load_or_are_rejected_with_a_layout_error()
    {
        Layouts.Sample(Load, iter: Iterations);
    }

    [Fact]
    public void Mutated_valid_layouts_load_or_are_rejected_with_a_layout_error()
    {
        Gen.Select(Mutation, Mutation, Mutation).Sample((a, b, c) => Load(c(b(a(LayoutTestData.Valid)))), iter: Iterations);
    }
}
