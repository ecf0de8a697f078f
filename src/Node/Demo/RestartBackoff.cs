namespace Spillway.Node.Demo;

/// <summary>
/// How long the demo waits before restarting a crashed node: 1 s, doubling per crash in a row, at most 30 s.
/// A node that ran longer than the longest wait before crashing again starts over at 1 s.
/// </summary>
internal sealed class RestartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    private TimeSpan _next = First;

    /// <summary>The wait before the next restart, given how long the crashed process had run.</summary>
    public TimeSpan Next(TimeSpan ranFor)
    {
        if (ranFor > Longest) _next = First;
        var wait = _next;
        _next = _next * 2 > Longest ? Longest : _next * 2;
        return wait;
    }
}
