namespace Spillway.Dashboards.Tests;

/// <summary>
/// A small, deliberately strict PromQL scanner for the lint: it finds the metric names an expression
/// selects and the function call each one sits in. Rules:
/// <list type="bullet">
/// <item>every selected metric is one of <see cref="SpillwayMetrics.All"/>;</item>
/// <item>every counter (<c>*_total</c>) sits directly inside <c>rate(</c>, <c>irate(</c> or <c>increase(</c>;</item>
/// <item>no selector without a metric name (<c>{__name__=...}</c>), and parentheses/brackets/strings balance.</item>
/// </list>
/// Grafana variables (<c>$node</c>, <c>[$__rate_interval]</c>) may appear inside strings and range brackets.
/// </summary>
public static class PromQlLint
{
    private static readonly HashSet<string> CounterFunctions = new(StringComparer.Ordinal) { "rate", "irate", "increase" };

    private static readonly HashSet<string> LabelListKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    // Identifiers that are never metric names when not followed by '('.
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
        "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
        "inf", "nan", "atan2", "start", "end",
    };

    private enum Kind { Ident, LParen, RParen, Matchers, Range, Str, Number, Other }

    private readonly record struct Token(Kind Kind, string Text);

    private enum FrameKind { Function, Group, LabelList }

    private readonly record struct Frame(FrameKind Kind, string Name);

    /// <summary>The metric names an expression selects, in order (for reports).</summary>
    public static IReadOnlyList<string> MetricsIn(string expr)
    {
        var metrics = new List<string>();
        Analyze(expr, metrics, new List<string>());
        return metrics;
    }

    /// <summary>Problems found in <paramref name="expr"/>; empty when it passes the lint.</summary>
    public static IReadOnlyList<string> Check(string expr)
    {
        var problems = new List<string>();
        Analyze(expr, new List<string>(), problems);
        return problems;
    }

    private static void Analyze(string expr, List<string> metrics, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(expr))
        {
            problems.Add("empty expression");
            return;
        }

        List<Token> tokens;
        try
        {
            tokens = Tokenize(expr);
        }
        catch (FormatException e)
        {
            problems.Add(e.Message);
            return;
        }

        var stack = new Stack<Frame>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var nextIsParen = i + 1 < tokens.Count && tokens[i + 1].Kind == Kind.LParen;
            switch (t.Kind)
            {
                case Kind.Ident when nextIsParen:
                    stack.Push(LabelListKeywords.Contains(t.Text)
                        ? new Frame(FrameKind.LabelList, t.Text)
                        : new Frame(FrameKind.Function, t.Text.ToLowerInvariant()));
                    i++; // the '(' belongs to this frame
                    break;
                case Kind.Ident:
                    if ((stack.Count > 0 && stack.Peek().Kind == FrameKind.LabelList) || Keywords.Contains(t.Text))
                    {
                        break;
                    }

                    metrics.Add(t.Text);
                    if (!SpillwayMetrics.All.Contains(t.Text))
                    {
                        problems.Add($"'{t.Text}' is not a Spillway metric family (known: {string.Join(", ", SpillwayMetrics.All.Order())})");
                    }

                    if (t.Text.EndsWith("_total", StringComparison.Ordinal))
                    {
                        var inside = stack.Count > 0 && stack.Peek().Kind == FrameKind.Function && CounterFunctions.Contains(stack.Peek().Name);
                        if (!inside)
                        {
                            var where = stack.Count == 0 ? "at top level" : $"inside {Describe(stack.Peek())}";
                            problems.Add($"counter '{t.Text}' is used {where}; wrap it directly in rate(, irate( or increase(");
                        }
                    }

                    break;
                case Kind.Matchers:
                    if (i == 0 || tokens[i - 1].Kind != Kind.Ident)
                    {
                        problems.Add($"selector '{t.Text}' has no metric name; name the Spillway metric explicitly");
                    }

                    break;
                case Kind.LParen:
                    stack.Push(new Frame(FrameKind.Group, "("));
                    break;
                case Kind.RParen:
                    if (stack.Count == 0)
                    {
                        problems.Add("unbalanced ')'");
                        return;
                    }

                    stack.Pop();
                    break;
            }
        }

        if (stack.Count > 0)
        {
            problems.Add("unbalanced '(': missing ')'");
        }
    }

    private static string Describe(Frame f) => f.Kind switch
    {
        FrameKind.Function => f.Name + "(",
        FrameKind.LabelList => f.Name + " (",
        _ => "plain parentheses",
    };

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '"' or '\'' or '`')
            {
                var start = i;
                i = SkipString(s, i);
                tokens.Add(new Token(Kind.Str, s[start..i]));
            }
            else if (c == '{')
            {
                var start = i;
                i = SkipBlock(s, i, '{', '}');
                tokens.Add(new Token(Kind.Matchers, s[start..i]));
            }
            else if (c == '[')
            {
                var start = i;
                i = SkipBlock(s, i, '[', ']');
                tokens.Add(new Token(Kind.Range, s[start..i]));
            }
            else if (c == '(')
            {
                tokens.Add(new Token(Kind.LParen, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new Token(Kind.RParen, ")"));
                i++;
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or ':'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Ident, s[start..i]));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                var start = i;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '.' or '_'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Number, s[start..i]));
            }
            else if (c is '}' or ']')
            {
                throw new FormatException($"unbalanced '{c}' at offset {i}");
            }
            else
            {
                // operators, commas, '@', and Grafana variables outside strings/brackets ($x) are not
                // metric names; a '$' word is consumed whole so it is not mistaken for one.
                if (c == '$')
                {
                    i++;
                    while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or '{' or '}'))
                    {
                        i++;
                    }
                }
                else
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Other, c.ToString()));
            }
        }

        return tokens;
    }

    private static int SkipString(string s, int i)
    {
        var quote = s[i++];
        while (i < s.Length)
        {
            if (s[i] == '\\' && quote != '`')
            {
                i += 2;
                continue;
            }

            if (s[i++] == quote)
            {
                return i;
            }
        }

        throw new FormatException($"unterminated string starting with {quote}");
    }

    private static int SkipBlock(string s, int i, char open, char close)
    {
        i++; // open
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(s, i);
            }
            else if (c == close)
            {
                return i + 1;
            }
            else if (c == open)
            {
                throw new FormatException($"nested '{open}' at offset {i}");
            }
            else
            {
                i++;
            }
        }

        throw new FormatException($"unterminated '{open}'");
    }
}
