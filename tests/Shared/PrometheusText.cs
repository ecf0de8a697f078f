using System.Globalization;
using System.Text;

namespace Spillway.Tests.Shared;

/// <summary>
/// A small, strict parser of the Prometheus text exposition format (0.0.4; an OpenMetrics <c># EOF</c> ends the input)
/// for tests. Validates metric and label name syntax, label value escapes, HELP/TYPE lines (at most one each per
/// family, TYPE before the family's samples), that every sample belongs to a TYPE'd family, that a family's samples
/// are contiguous and that no series appears twice. Throws <see cref="FormatException"/> naming the line.
/// </summary>
internal static class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped", "unknown"];

    /// <summary>One sample line.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? TimestampMs, string Family)
    {
        /// <summary>Canonical form: <c>name{a="x",b="y"} value</c>, labels sorted by name, value round-trippable.</summary>
        public string Key => $"{Name}{FormatLabels(Labels)} {FormatValue(Value)}";

        /// <summary>Canonical series identity (name and labels, no value).</summary>
        public string Series => $"{Name}{FormatLabels(Labels)}";

        public string? Label(string name) => Labels.TryGetValue(name, out var v) ? v : null;

        public override string ToString() => Key;
    }

    /// <summary>A family: its TYPE, HELP (unescaped) and samples in order.</summary>
    public sealed class Family(string name)
    {
        public string Name { get; } = name;
        public string? Type { get; internal set; }
        public string? Help { get; internal set; }
        public List<Sample> Samples { get; } = new();
    }

    /// <summary>A parsed exposition.</summary>
    public sealed class Exposition(IReadOnlyDictionary<string, Family> families, IReadOnlyList<Sample> samples)
    {
        public IReadOnlyDictionary<string, Family> Families { get; } = families;
        public IReadOnlyList<Sample> Samples { get; } = samples;

        public IEnumerable<Sample> WithPrefix(string prefix) =>
            Samples.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));

        /// <summary>Canonical keys (<see cref="Sample.Key"/>) of the samples whose name starts with <paramref name="prefix"/>.</summary>
        public SortedSet<string> Keys(string prefix = "") => new(WithPrefix(prefix).Select(s => s.Key), StringComparer.Ordinal);

        /// <summary>The sample named <paramref name="name"/> with exactly <paramref name="labels"/>, or null.</summary>
        public Sample? Find(string name, params (string Name, string Value)[] labels) =>
            Samples.SingleOrDefault(s => s.Name == name && s.Labels.Count == labels.Length
                && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

        public double? Value(string name, params (string Name, string Value)[] labels) => Find(name, labels)?.Value;
    }

    public static Exposition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var series = new HashSet<string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal); // families whose samples ended
        Family? current = null;                                     // family of the previous sample

        if (text.Length > 0 && !text.EndsWith('\n'))
            throw new FormatException("The exposition does not end with a line feed.");
        var lines = text.Split('\n');
        bool eof = false;
        for (int i = 0; i < lines.Length - 1; i++)
        {
            string line = lines[i];
            int number = i + 1;
            if (eof)
                throw Error(number, "content after # EOF");
            if (line.Contains('\r'))
                throw Error(number, "carriage return in line");
            if (line.Trim().Length == 0)
                continue;

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (line == "# EOF")
                {
                    eof = true;
                    continue;
                }
                if (parts.Length < 3 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE"))
                    continue; // a plain comment
                string name = parts[2];
                if (!IsMetricName(name))
                    throw Error(number, $"invalid metric name '{name}' in {parts[1]}");
                if (closed.Contains(name) || (current is not null && current.Name == name))
                    throw Error(number, $"{parts[1]} for family '{name}' after its samples");
                var family = families.TryGetValue(name, out var f) ? f : families[name] = new Family(name);
                if (parts[1] == "TYPE")
                {
                    if (parts.Length != 4 || !Types.Contains(parts[3]))
                        throw Error(number, $"invalid TYPE line '{line}'");
                    if (family.Type is not null)
                        throw Error(number, $"second TYPE for '{name}'");
                    family.Type = parts[3];
                }
                else
                {
                    if (family.Help is not null)
                        throw Error(number, $"second HELP for '{name}'");
                    family.Help = parts.Length == 4 ? UnescapeHelp(parts[3], number) : "";
                }
                continue;
            }

            var sample = ParseSample(line, number, families, out var owner);
            if (!ReferenceEquals(owner, current))
            {
                if (current is not null)
                    closed.Add(current.Name);
                if (closed.Contains(owner.Name))
                    throw Error(number, $"samples of family '{owner.Name}' are not contiguous");
                current = owner;
            }
            if (!series.Add(sample.Series))
                throw Error(number, $"duplicate series {sample.Series}");
            owner.Samples.Add(sample);
            samples.Add(sample);
        }

        return new Exposition(families, samples);
    }

    public static string FormatLabels(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0)
            return "";
        var sb = new StringBuilder("{");
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (sb.Length > 1)
                sb.Append(',');
            sb.Append(name).Append("=\"")
              .Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n"))
              .Append('"');
        }
        return sb.Append('}').ToString();
    }

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static Sample ParseSample(string line, int number, Dictionary<string, Family> families, out Family owner)
    {
        int pos = 0;
        while (pos < line.Length && IsNameChar(line[pos], pos == 0, metric: true))
            pos++;
        string name = line[..pos];
        if (name.Length == 0)
            throw Error(number, "sample line does not start with a metric name");

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pos < line.Length && line[pos] == '{')
        {
            pos++;
            while (true)
            {
                if (pos >= line.Length)
                    throw Error(number, "unterminated label set");
                if (line[pos] == '}')
                {
                    pos++;
                    break;
                }
                int start = pos;
                while (pos < line.Length && IsNameChar(line[pos], pos == start, metric: false))
                    pos++;
                string labelName = line[start..pos];
                if (labelName.Length == 0)
                    throw Error(number, $"invalid label name at column {start + 1}");
                if (pos >= line.Length || line[pos] != '=')
                    throw Error(number, $"expected '=' after label '{labelName}'");
                pos++;
                if (pos >= line.Length || line[pos] != '"')
                    throw Error(number, $"expected '\"' to open the value of label '{labelName}'");
                pos++;
                var value = new StringBuilder();
                while (true)
                {
                    if (pos >= line.Length)
                        throw Error(number, $"unterminated value of label '{labelName}'");
                    char c = line[pos++];
                    if (c == '"')
                        break;
                    if (c == '\\')
                    {
                        if (pos >= line.Length)
                            throw Error(number, "dangling backslash in label value");
                        char e = line[pos++];
                        value.Append(e switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw Error(number, $"invalid escape '\\{e}' in label value"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }
                if (!labels.TryAdd(labelName, value.ToString()))
                    throw Error(number, $"duplicate label '{labelName}'");
                if (pos < line.Length && line[pos] == ',')
                    pos++;
                else if (pos >= line.Length || line[pos] != '}')
                    throw Error(number, "expected ',' or '}' after a label");
            }
        }

        if (pos >= line.Length || line[pos] is not (' ' or '\t'))
            throw Error(number, "expected whitespace before the value");
        var rest = line[pos..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2)
            throw Error(number, "expected a value and an optional timestamp");
        double v = ParseValue(rest[0], number);
        long? timestamp = null;
        if (rest.Length == 2)
        {
            if (!long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts))
                throw Error(number, $"invalid timestamp '{rest[1]}'");
            timestamp = ts;
        }

        owner = FindFamily(name, labels, families)
            ?? throw Error(number, $"sample '{name}' belongs to no TYPE'd family");
        return new Sample(name, labels, v, timestamp, owner.Name);
    }

    private static Family? FindFamily(string name, Dictionary<string, string> labels, Dictionary<string, Family> families)
    {
        static bool Typed(Dictionary<string, Family> families, string name, out Family family) =>
            families.TryGetValue(name, out family!) && family.Type is not null;

        if (Typed(families, name, out var exact) && exact.Type is "counter" or "gauge" or "untyped" or "unknown")
            return exact;
        if (Typed(families, name, out exact) && exact.Type == "summary" && labels.ContainsKey("quantile"))
            return exact;
        foreach (var suffix in (string[])["_bucket", "_sum", "_count", "_total", "_created"])
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal) || !Typed(families, name[..^suffix.Length], out var f))
                continue;
            bool ok = (suffix, f.Type) switch
            {
                ("_bucket", "histogram") => labels.ContainsKey("le"),
                ("_sum" or "_count", "histogram" or "summary") => true,
                ("_total", "counter") => true,  // OpenMetrics style: TYPE names the family without _total
                ("_created", "counter" or "histogram" or "summary") => true,
                _ => false,
            };
            if (ok)
                return f;
        }
        return null;
    }

    private static double ParseValue(string s, int number) => s switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error(number, $"invalid value '{s}'"),
    };

    private static string UnescapeHelp(string help, int number)
    {
        var sb = new StringBuilder(help.Length);
        for (int i = 0; i < help.Length; i++)
        {
            char c = help[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= help.Length)
                throw Error(number, "dangling backslash in HELP");
            sb.Append(help[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                _ => throw Error(number, $"invalid escape '\\{help[i]}' in HELP"),
            });
        }
        return sb.ToString();
    }

    public static bool IsMetricName(string name) =>
        name.Length > 0 && name.Select((c, i) => IsNameChar(c, i == 0, metric: true)).All(ok => ok);

    public static bool IsLabelName(string name) =>
        name.Length > 0 && name.Select((c, i) => IsNameChar(c, i == 0, metric: false)).All(ok => ok);

    private static bool IsNameChar(char c, bool first, bool metric) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_'
        || (metric && c == ':')
        || (!first && c is >= '0' and <= '9');

    private static FormatException Error(int line, string message) => new($"Prometheus text, line {line}: {message}.");
}
