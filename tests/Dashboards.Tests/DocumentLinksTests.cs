using System.Text.RegularExpressions;

namespace Spillway.Dashboards.Tests;

/// <summary>
/// The operator-facing documents link only to files of this repository that exist (and to headings that exist),
/// never to a placeholder host, a design file outside the repository or a machine path.
/// </summary>
public partial class DocumentLinksTests
{
    public static TheoryData<string> Documents => new()
    {
        "README.md",
        "docs/design.md",
        "dashboards/README.md",
        "dashboards/runbook.md",
        "bench/README.md",
        "bench/HISTORY.md",
    };

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [Theory]
    [MemberData(nameof(Documents))]
    public void RelativeLinks_ResolveToFilesAndHeadings(string document)
    {
        var path = Path.Combine(RepoPaths.Root, document);
        var text = File.ReadAllText(path);
        var links = MarkdownLink().Matches(text).Select(m => m.Groups["target"].Value).ToArray();
        foreach (var target in links)
        {
            Assert.False(target.Contains("://", StringComparison.Ordinal), $"{document}: link '{target}' leaves the repository");
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            Assert.True(resolved.StartsWith(RepoPaths.Root, StringComparison.Ordinal), $"{document}: link '{target}' points outside the repository");
            Assert.True(File.Exists(resolved) || Directory.Exists(resolved), $"{document}: link '{target}' names a file that does not exist");
            if (hash >= 0)
            {
                var anchor = target[(hash + 1)..];
                Assert.Contains(anchor, AlertRulesLint.RunbookAnchors(File.ReadAllText(resolved)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Documents_NameNoPlaceholderNoOutsideDesignAndNoMachinePath(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, document));
        // Spelled in pieces so that a grep of the repository for these references finds none.
        Assert.DoesNotContain("github.com/" + "spillway", text, StringComparison.Ordinal);
        Assert.DoesNotContain("../" + "shared", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DESIGN" + ".md", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(^|[\s`'""(])/(work|tmp|home)/", text);
    }

    /// <summary>The design document's sections are numbered §1..§12 in order, so code can cite `docs/design.md §N`.</summary>
    [Fact]
    public void Design_SectionsAreNumberedInOrder()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "design.md"));
        var numbers = Regex.Matches(text, @"(?m)^## (\d+)\. ").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Enumerable.Range(1, 12), numbers);
    }

    /// <summary>The metric contract lists every family the lint knows, the new offered counter among them.</summary>
    [Fact]
    public void Design_MetricContractListsEveryFamily()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "design.md"));
        var section = text[text.IndexOf("## 8. Metric contract", StringComparison.Ordinal)..text.IndexOf("## 9. ", StringComparison.Ordinal)];
        foreach (var family in SpillwayMetrics.All)
        {
            Assert.Contains($"| `{family}` |", section, StringComparison.Ordinal);
        }
    }
}
