using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Spillway.Engine.Data;

/// <summary>
/// UTF-8 decoded into a string, malformed input refused rather than replaced: the one decoder behind strings off the
/// wire (<c>WireReader</c>) and <see cref="StringValue.FromUtf8"/>, each of which reports a refusal in its own terms.
/// </summary>
internal static class Utf8Text
{
    private const int StackChars = 256;
    private const int MaxScratchChars = 64 * 1024;

    /// <summary>The text <paramref name="bytes"/> encode; false if they are not well-formed UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? text)
    {
        // ASCII (topics, most payloads): one char per byte, so a vectorised check and a widening copy into the string.
        if (Ascii.IsValid(bytes))
        {
            text = Encoding.Latin1.GetString(bytes);
            return true;
        }
        if (bytes.Length <= MaxScratchChars) return TryTranscodeOnce(bytes, out text);
        // Scratch for a string this long would stay in the shared pool after it (a peer could park 32 MB there with
        // one 16 MiB frame): validate, then let the encoding count and transcode.
        text = Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return text is not null;
    }

    /// <summary>
    /// One pass that validates while it transcodes (into scratch, then copied into the string), instead of validating,
    /// counting and transcoding in three, each byte by byte for text that is not ASCII. UTF-8 never yields more UTF-16
    /// chars than it has bytes, so scratch of bytes.Length chars is enough.
    /// </summary>
    private static bool TryTranscodeOnce(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? text)
    {
        char[]? rented = null;
        var scratch = bytes.Length <= StackChars
            ? stackalloc char[StackChars]
            : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            var done = Utf8.ToUtf16(bytes, scratch, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done;
            text = done ? new string(scratch[..written]) : null;
            return done;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }
}
