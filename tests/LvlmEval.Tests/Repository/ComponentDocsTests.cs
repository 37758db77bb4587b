using System.Text.RegularExpressions;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Task;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Repository;

/// <summary>
/// Each shipped component has its entry in the docs table users read to choose it, and each entry names a shipped
/// component: adding one without its doc row, or removing one and leaving its row, fails here (docs/EXTENDING.md).
/// Names are the back-quoted words of a table's first column.
/// </summary>
public sealed partial class ComponentDocsTests
{
    private static IEnumerable<TestCaseData> Tables()
    {
        yield return Table("EXPLAINERS.md", "method", () => ComponentRegistrationTests.Shipped<IExplainer>("explainer").Names);
        yield return Table("METRICS.md", "name", () => ComponentRegistrationTests.Shipped<IMetric>("metric").Names);
        yield return Table("DATASETS.md", "format", () => ComponentRegistrationTests.Shipped<IDatasetLoader>("dataset format").Names);
        // The task-accuracy table: one row per scorer, naming the dataset formats it scores.
        yield return Table("METRICS.md", "format", () => ComponentRegistrationTests.Shipped<ITaskScorer>("task scorer").Names);
    }

    private static TestCaseData Table(string file, string header, Func<IReadOnlyList<string>> shipped) =>
        new TestCaseData(file, header, shipped).SetArgDisplayNames(file, header);

    [TestCaseSource(nameof(Tables))]
    public void TableHasARowPerShippedComponent(string file, string header, Func<IReadOnlyList<string>> shipped) =>
        Assert.That(FirstColumn(file, header), Is.EquivalentTo(shipped()));

    [Test]
    public void FirstColumnReadsEveryNameOfAMarkdownTable()
    {
        // The reader itself, on a table with two names in one cell and prose around it.
        var text = "intro | `x` |\n\n| name | what |\n|---|---|\n| `a` | one `z` |\n| `b`, `c` | two |\n\nafter\n| `d` | not this table |\n";
        Assert.That(FirstColumn(text.Split('\n'), "name", "text"), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    /// <summary>The back-quoted names in the first column of the first table of docs/<paramref name="file"/> whose first header cell is <paramref name="header"/>.</summary>
    private static IReadOnlyList<string> FirstColumn(string file, string header) =>
        FirstColumn(File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", file)), header, file);

    private static IReadOnlyList<string> FirstColumn(IReadOnlyList<string> lines, string header, string what)
    {
        int start = -1;
        for (int i = 0; i + 1 < lines.Count && start < 0; i++)
            if (Cells(lines[i]) is [var first, ..] && first == header && lines[i + 1].TrimStart().StartsWith("|---", StringComparison.Ordinal)) start = i + 2;
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"{what} has no table whose first column is '{header}'");
        var names = new List<string>();
        for (int i = start; i < lines.Count && lines[i].TrimStart().StartsWith('|'); i++)
            names.AddRange(Quoted().Matches(Cells(lines[i])[0]).Select(m => m.Groups[1].Value));
        return names;
    }

    private static string[] Cells(string line) =>
        line.TrimStart().StartsWith('|') ? line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray() : [];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();
}
