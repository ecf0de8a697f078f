using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spillway.Dashboards.Tests;

/// <summary>
/// Reads a YAML file (Prometheus rules and config, Grafana provisioning) with YamlDotNet into the plain nodes the
/// lints walk: a mapping is a <see cref="Dictionary{TKey,TValue}"/> of string to node, a sequence a
/// <see cref="List{T}"/> of nodes, a scalar its text as written (<c>"1"</c>, <c>"true"</c>: no typing), and an empty,
/// <c>~</c> or <c>null</c> plain scalar is null. Aliases are resolved. Malformed YAML, a duplicate key, a key that
/// is not a scalar or more than one document throws a <see cref="FormatException"/> naming the line, so a lint never
/// silently reads less than Prometheus would.
/// </summary>
internal static class Yaml
{
    public static object? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"YAML line {e.Start.Line}: {e.Message}", e);
        }

        return stream.Documents.Count switch
        {
            0 => null,
            1 => Convert(stream.Documents[0].RootNode),
            _ => throw new FormatException($"YAML line {stream.Documents[1].RootNode.Start.Line}: expected one document, found {stream.Documents.Count}"),
        };
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => IsNull(scalar) ? null : scalar.Value,
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            entry => entry.Key is YamlScalarNode { Value: { } key }
                ? key
                : throw new FormatException($"YAML line {entry.Key.Start.Line}: a key must be a scalar"),
            entry => Convert(entry.Value),
            StringComparer.Ordinal),
        _ => throw new FormatException($"YAML line {node.Start.Line}: unsupported node {node.NodeType}"),
    };

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
