using System.Text;

namespace Spillway.Node.Tests.Top;

/// <summary>A thread-safe <see cref="TextWriter"/> that keeps each write (the top loop writes one frame per write) separately.</summary>
internal sealed class FrameRecorder : TextWriter
{
    private readonly List<string> _writes = [];

    public override Encoding Encoding => Encoding.UTF8;

    public int Count
    {
        get { lock (_writes) return _writes.Count; }
    }

    public IReadOnlyList<string> Writes
    {
        get { lock (_writes) return _writes.ToArray(); }
    }

    public string Text => string.Concat(Writes);

    public override void Write(char value) => Add(value.ToString());

    public override void Write(string? value) => Add(value ?? "");

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Add(buffer.ToString());
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Add(string text)
    {
        lock (_writes) _writes.Add(text);
    }
}
