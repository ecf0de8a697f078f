namespace Spillway.Bench;

/// <summary>The string payloads the encode and decode benchmarks share: the quick set's two ASCII sizes and 1 KiB of text with two- and three-byte UTF-8 sequences between ASCII.</summary>
internal static class StringPayloads
{
    public static readonly string[] Names = ["64 B", "1 KiB", "1 KiB non-ASCII"];

    public static string Text(string name) => name switch
    {
        "64 B" => new string('x', 64),
        "1 KiB" => new string('x', 1024),
        "1 KiB non-ASCII" => string.Concat(Enumerable.Repeat("caf\u00e9 \u20ac ", 160))[..1024],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown payload"),
    };
}
