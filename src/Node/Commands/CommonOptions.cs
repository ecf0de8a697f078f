using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Commands;

/// <summary>
/// Options shared by several commands, and typed options whose parse errors are in the CLI's own words
/// (<c>--duration: expected a whole number of seconds from 1 to 86400, got '-1'</c>), never the parser's type names.
/// </summary>
internal static class CommonOptions
{
    public static Option<string?> Exporter()
    {
        var option = new Option<string?>("--exporter")
        {
            Description = "Metrics exporter: opentelemetry (default) or prometheus-net",
        };
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (value is not null && !MetricsExporter.TryParse(value, out _))
                result.AddError($"--exporter: unknown exporter '{value}'; use opentelemetry or prometheus-net");
        });
        return option;
    }

    /// <summary>Null means the default exporter (names are checked when parsing the command line).</summary>
    public static MetricsExporterKind ParseExporter(string? name) =>
        name is null ? MetricsExporterKind.OpenTelemetry
        : MetricsExporter.TryParse(name, out var kind) ? kind
        : throw new ArgumentException($"--exporter: unknown exporter '{name}'; use opentelemetry or prometheus-net");

    /// <summary>An optional whole number in <paramref name="min"/>..<paramref name="max"/>; <paramref name="what"/> names the unit.</summary>
    public static Option<int?> WholeNumber(string name, string description, int min, int max, string what)
    {
        var option = new Option<int?>(name) { Description = description };
        option.CustomParser = result => ParseWholeNumber(result, name, min, max, what);
        return option;
    }

    /// <summary>Like <see cref="WholeNumber"/> with a default value when the option is absent.</summary>
    public static Option<int> WholeNumber(string name, string description, int min, int max, string what, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseWholeNumber(result, name, min, max, what) ?? defaultValue;
        return option;
    }

    private static int? ParseWholeNumber(ArgumentResult result, string name, int min, int max, string what)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        result.AddError($"{name}: expected {what} from {min} to {max}, got '{text}'");
        return null;
    }
}
