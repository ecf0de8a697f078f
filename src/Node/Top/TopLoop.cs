using Spillway.Engine;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Top;

/// <summary>
/// The <c>top</c> command loop: every interval, poll all nodes (<see cref="NodePoller"/>), render
/// (<see cref="TopRenderer"/>) with the polls so far (<see cref="TopHistory"/>), and write the screen. With ANSI each frame
/// clears the screen first (<see cref="RunOnAlternateScreenAsync"/> keeps them off the scrollback); without, frames are separated by a line of dashes.
/// </summary>
public static class TopLoop
{
    /// <summary>Refresh interval unless <see cref="RunAsync"/> is given another.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Width used when the terminal width is unknown (output redirected).</summary>
    public const int FallbackWidth = 120;

    /// <summary>Cursor home + erase display.</summary>
    public const string ClearScreen = "\u001b[H\u001b[2J";

    /// <summary>Switches to the terminal's alternate screen and hides the cursor, so frames never reach the scrollback.</summary>
    public const string EnterAlternateScreen = "\u001b[?1049h\u001b[?25l";

    /// <summary>Shows the cursor and returns to the normal screen, as it was before.</summary>
    public const string LeaveAlternateScreen = "\u001b[?25h\u001b[?1049l";

    /// <summary>
    /// Polls, renders and writes a frame every <paramref name="interval"/> (default one second; the first frame at once) until
    /// <paramref name="ct"/> is cancelled, then returns normally. Errors writing to <paramref name="output"/> propagate.
    /// </summary>
    /// <param name="targets">The nodes, in display order (see <see cref="FromLayout"/>).</param>
    /// <param name="output">Where frames go; flushed after each.</param>
    /// <param name="ansi">Clear the screen before each frame and highlight overflowing rows.</param>
    /// <param name="ct">Stops the loop.</param>
    /// <param name="interval">Refresh interval; null = <see cref="DefaultInterval"/>.</param>
    /// <param name="width">Screen width, asked before every frame; null = <see cref="TerminalWidth"/>.</param>
    /// <param name="httpClient">Client for the polls (not disposed); null = the poller's own.</param>
    /// <param name="timeProvider">Clock for polls and the refresh timer; null = the system clock.</param>
    /// <param name="restarts">Asked before every frame: restart counts by node name (the demo's supervisor); null = none shown.</param>
    public static async Task RunAsync(
        IReadOnlyList<NodeTarget> targets,
        TextWriter output,
        bool ansi,
        CancellationToken ct,
        TimeSpan? interval = null,
        Func<int>? width = null,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        string? title = null,
        Func<int>? height = null,
        TopHistory? history = null,
        Func<IReadOnlyDictionary<string, int>>? restarts = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(output);
        var period = interval ?? DefaultInterval;
        if (period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be positive");

        var time = timeProvider ?? TimeProvider.System;
        var widthOf = width ?? TerminalWidth;
        var heightOf = height ?? (ansi ? TerminalHeight : () => int.MaxValue);
        // No start-up grace unless asked: a node that does not answer is down (the demo asks, as it starts its nodes).
        var seen = history ?? new TopHistory(startupGrace: TimeSpan.Zero);
        if (ct.IsCancellationRequested) return;
        using var poller = new NodePoller(targets, httpClient, timeout: null, time);
        using var timer = new PeriodicTimer(period, time);
        bool first = true;
        try
        {
            do
            {
                var current = await poller.PollAsync(ct).ConfigureAwait(false);
                seen.Add(current);
                int columns = Math.Max(20, widthOf());
                int rows = Math.Max(3, heightOf());
                string screen = TopRenderer.Render(current, seen, columns, title is null ? rows : rows - 1, ansi, restarts?.Invoke());
                if (title is not null) screen = TopRenderer.Truncate(title, columns) + "\n" + screen;
                string frame = ansi ? ClearScreen + screen
                    : first ? screen
                    : new string('-', columns) + "\n" + screen;
                await output.WriteAsync(frame.AsMemory(), ct).ConfigureAwait(false);
                await output.FlushAsync(ct).ConfigureAwait(false);
                first = false;
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C or the caller stopping us: a normal end.
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/> on the terminal's alternate screen (as <c>less</c> and <c>top</c> do): frames never reach the
    /// scrollback, and the shell's screen comes back as it was when the view ends.
    /// </summary>
    public static async Task RunOnAlternateScreenAsync(IReadOnlyList<NodeTarget> targets, TextWriter output, CancellationToken ct,
        string? title = null, TopHistory? history = null, Func<IReadOnlyDictionary<string, int>>? restarts = null)
    {
        if (ct.IsCancellationRequested) return;
        await output.WriteAsync(EnterAlternateScreen.AsMemory(), CancellationToken.None).ConfigureAwait(false);
        try
        {
            await RunAsync(targets, output, ansi: true, ct, title: title, history: history, restarts: restarts).ConfigureAwait(false);
        }
        finally
        {
            await output.WriteAsync(LeaveAlternateScreen.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The console's height when output goes to a terminal, else no limit.</summary>
    public static int TerminalHeight()
    {
        if (Console.IsOutputRedirected) return int.MaxValue;
        try
        {
            int h = Console.WindowHeight;
            return h > 0 ? h : int.MaxValue;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return int.MaxValue;
        }
    }

    /// <summary>One target per layout node, in layout order: <c>http://{Host}:{MetricsPort}/peers</c>.</summary>
    public static IReadOnlyList<NodeTarget> FromLayout(ClusterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.Nodes
            .Select(n => new NodeTarget(n.Name, new UriBuilder(Uri.UriSchemeHttp, n.Host, n.MetricsPort, SpillwayRoutes.Peers).Uri))
            .ToArray();
    }

    /// <summary>The console's width when output goes to a terminal, else <see cref="FallbackWidth"/>.</summary>
    public static int TerminalWidth()
    {
        if (Console.IsOutputRedirected) return FallbackWidth;
        try
        {
            int w = Console.WindowWidth;
            return w > 0 ? w : FallbackWidth;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return FallbackWidth;
        }
    }
}
