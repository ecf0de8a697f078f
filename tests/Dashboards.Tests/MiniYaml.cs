using System.Text;

namespace Spillway.Dashboards.Tests;

/// <summary>
/// A minimal YAML reader, enough for Prometheus rule files (no YAML package is referenced by the
/// repository). Supports block mappings and sequences, plain/single/double-quoted scalars, flow
/// sequences of scalars, block scalars (| and &gt; with - / + chomping) and comments. Anything else
/// (anchors, aliases, multi-line plain scalars, flow mappings) is rejected with a FormatException,
/// so the lint never silently misreads a file.
/// Nodes are <see cref="Dictionary{TKey,TValue}"/> of string to node, <see cref="List{T}"/> of node, or string.
/// </summary>
public sealed class MiniYaml
{
    private readonly List<string> _lines;
    private int _pos;

    private MiniYaml(string text)
    {
        _lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
    }

    public static object? Parse(string text)
    {
        var y = new MiniYaml(text);
        y.SkipBlank();
        if (y._pos >= y._lines.Count)
        {
            return null;
        }

        var node = y.ParseNode(Indent(y._lines[y._pos]));
        y.SkipBlank();
        if (y._pos < y._lines.Count)
        {
            throw y.Error("unexpected content (bad indentation?)");
        }

        return node;
    }

    private static int Indent(string line)
    {
        var n = 0;
        while (n < line.Length && line[n] == ' ')
        {
            n++;
        }

        if (n < line.Length && line[n] == '\t')
        {
            throw new FormatException("tabs are not allowed for indentation in YAML");
        }

        return n;
    }

    private static bool IsBlankOrComment(string line)
    {
        var t = line.TrimStart();
        return t.Length == 0 || t[0] == '#';
    }

    private void SkipBlank()
    {
        while (_pos < _lines.Count && IsBlankOrComment(_lines[_pos]))
        {
            _pos++;
        }
    }

    private FormatException Error(string message) =>
        new($"YAML line {_pos + 1}: {message}: '{(_pos < _lines.Count ? _lines[_pos].Trim() : "<eof>")}'");

    private static bool IsSequenceItem(string line)
    {
        var t = line.TrimStart();
        return t == "-" || t.StartsWith("- ", StringComparison.Ordinal);
    }

    private object ParseNode(int indent)
    {
        SkipBlank();
        var line = _lines[_pos];
        if (Indent(line) != indent)
        {
            throw Error($"expected indentation {indent}");
        }

        return IsSequenceItem(line) ? ParseSequence(indent) : ParseMapping(indent);
    }

    private List<object?> ParseSequence(int indent)
    {
        var list = new List<object?>();
        while (true)
        {
            SkipBlank();
            if (_pos >= _lines.Count)
            {
                break;
            }

            var line = _lines[_pos];
            if (Indent(line) != indent || !IsSequenceItem(line))
            {
                if (Indent(line) > indent)
                {
                    throw Error("unexpected indentation in sequence");
                }

                break;
            }

            var content = line[(indent + 1)..];
            if (content.Trim().Length == 0 || content.TrimStart().StartsWith('#'))
            {
                _pos++;
                SkipBlank();
                if (_pos >= _lines.Count || Indent(_lines[_pos]) <= indent)
                {
                    list.Add(null);
                    continue;
                }

                list.Add(ParseNode(Indent(_lines[_pos])));
                continue;
            }

            var childIndent = indent + 1 + (content.Length - content.TrimStart().Length);
            var text = content.TrimStart();
            if (IsSequenceItem(text) || FindKeyColon(text) >= 0)
            {
                // "- key: value": re-read this line as the first line of a nested node.
                _lines[_pos] = new string(' ', childIndent) + text;
                list.Add(ParseNode(childIndent));
            }
            else
            {
                _pos++;
                list.Add(ParseScalar(text));
            }
        }

        return list;
    }

    private Dictionary<string, object?> ParseMapping(int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipBlank();
            if (_pos >= _lines.Count)
            {
                break;
            }

            var line = _lines[_pos];
            var ind = Indent(line);
            if (ind < indent || (ind == indent && IsSequenceItem(line)))
            {
                break;
            }

            if (ind > indent)
            {
                throw Error("unexpected indentation in mapping");
            }

            var text = line[indent..];
            var colon = FindKeyColon(text);
            if (colon < 0)
            {
                throw Error("expected 'key: value'");
            }

            var key = Unquote(text[..colon].Trim());
            var rest = text[(colon + 1)..].Trim();
            if (map.ContainsKey(key))
            {
                throw Error($"duplicate key '{key}'");
            }

            _pos++;
            if (rest.Length > 0 && (rest[0] == '|' || rest[0] == '>'))
            {
                map[key] = ParseBlockScalar(indent, rest);
            }
            else if (rest.Length > 0 && rest[0] != '#')
            {
                map[key] = ParseScalar(rest);
            }
            else
            {
                SkipBlank();
                if (_pos < _lines.Count && (Indent(_lines[_pos]) > indent || (Indent(_lines[_pos]) == indent && IsSequenceItem(_lines[_pos]))))
                {
                    map[key] = ParseNode(Indent(_lines[_pos]));
                }
                else
                {
                    map[key] = null;
                }
            }
        }

        return map;
    }

    private string ParseBlockScalar(int parentIndent, string header)
    {
        var folded = header[0] == '>';
        var chomp = header.Length > 1 ? header[1] : ' ';
        if (header.Length > 1 && chomp != '-' && chomp != '+' && header[1] != ' ' && header[1] != '#')
        {
            throw Error("explicit indentation indicators are not supported");
        }

        var raw = new List<string>();
        var blockIndent = -1;
        while (_pos < _lines.Count)
        {
            var line = _lines[_pos];
            if (line.Trim().Length == 0)
            {
                raw.Add(string.Empty);
                _pos++;
                continue;
            }

            var ind = Indent(line);
            if (ind <= parentIndent)
            {
                break;
            }

            if (blockIndent < 0)
            {
                blockIndent = ind;
            }

            if (ind < blockIndent)
            {
                throw Error("block scalar line less indented than its first line");
            }

            raw.Add(line[blockIndent..]);
            _pos++;
        }

        // trailing blank lines belong to chomping, not content
        var trailing = 0;
        while (raw.Count > 0 && raw[^1].Length == 0)
        {
            raw.RemoveAt(raw.Count - 1);
            trailing++;
        }

        string body;
        if (!folded)
        {
            body = string.Join('\n', raw);
        }
        else
        {
            var sb = new StringBuilder();
            for (var i = 0; i < raw.Count; i++)
            {
                var l = raw[i];
                if (i > 0)
                {
                    var prev = raw[i - 1];
                    var moreIndented = l.StartsWith(' ') || prev.StartsWith(' ');
                    if (l.Length == 0)
                    {
                        sb.Append('\n');
                        continue;
                    }

                    if (prev.Length != 0)
                    {
                        sb.Append(moreIndented ? '\n' : ' ');
                    }
                }

                sb.Append(l);
            }

            body = sb.ToString();
        }

        if (raw.Count == 0)
        {
            return string.Empty;
        }

        return chomp switch
        {
            '-' => body,
            '+' => body + new string('\n', trailing + 1),
            _ => body + "\n",
        };
    }

    private static int FindKeyColon(string text)
    {
        if (text.Length == 0 || text[0] is '"' or '\'' or '[' or '{' or '#' or '&' or '*' or '|' or '>')
        {
            if (text.Length > 0 && text[0] is '"' or '\'')
            {
                var end = text.IndexOf(text[0], 1);
                if (end > 0 && end + 1 < text.Length && text[end + 1] == ':' && (end + 2 == text.Length || text[end + 2] == ' '))
                {
                    return end + 1;
                }
            }

            return -1;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return i;
            }

            if (text[i] == '#' && i > 0 && text[i - 1] == ' ')
            {
                return -1;
            }
        }

        return -1;
    }

    private object? ParseScalar(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        switch (text[0])
        {
            case '&' or '*' or '!' or '{' or '|' or '>' or '%' or '@' or '`':
                throw Error($"unsupported YAML construct '{text[0]}'");
            case '[':
                return ParseFlowSequence(text);
            case '"' or '\'':
            {
                var (value, end) = ReadQuoted(text, 0);
                var after = text[end..].Trim();
                if (after.Length > 0 && after[0] != '#')
                {
                    throw Error("text after a quoted scalar");
                }

                return value;
            }
        }

        var hash = text.IndexOf(" #", StringComparison.Ordinal);
        return hash >= 0 ? text[..hash].TrimEnd() : text;
    }

    private List<object?> ParseFlowSequence(string text)
    {
        var list = new List<object?>();
        var i = 1;
        while (true)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length)
            {
                throw Error("unterminated flow sequence");
            }

            if (text[i] == ']')
            {
                var after = text[(i + 1)..].Trim();
                if (after.Length > 0 && after[0] != '#')
                {
                    throw Error("text after a flow sequence");
                }

                return list;
            }

            if (text[i] is '"' or '\'')
            {
                var (value, end) = ReadQuoted(text, i);
                list.Add(value);
                i = end;
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != ',' && text[i] != ']')
                {
                    i++;
                }

                var item = text[start..i].Trim();
                if (item.Length > 0 && item[0] is '[' or '{')
                {
                    throw Error("nested flow collections are not supported");
                }

                list.Add(item);
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
    }

    private (string Value, int End) ReadQuoted(string text, int start)
    {
        var quote = text[start];
        var sb = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (quote == '\'' && c == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    sb.Append('\'');
                    i += 2;
                    continue;
                }

                return (sb.ToString(), i + 1);
            }

            if (quote == '"' && c == '"')
            {
                return (sb.ToString(), i + 1);
            }

            if (quote == '"' && c == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', '/' => '/', _ => throw Error($"unsupported escape \\{e}") });
                i += 2;
                continue;
            }

            sb.Append(c);
            i++;
        }

        throw Error("unterminated quoted scalar (multi-line quoted scalars are not supported)");
    }

    private static string Unquote(string key) =>
        key.Length >= 2 && (key[0] == '"' || key[0] == '\'') && key[^1] == key[0] ? key[1..^1] : key;
}
