using System.Text.RegularExpressions;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// The Models namespaces (one per folder) depend on each other one way: the graph of their <c>using LvlmEval.Models.X</c>
/// directives and <c>LvlmEval.Models.X.</c> qualified names has no cycle (e.g. Llava uses Tracing, Tracing never Llava).
/// </summary>
public sealed class NamespaceDependencyTests
{
    [Test]
    public void ModelsNamespacesHaveNoCycle()
    {
        var root = Path.Combine(RepoPaths.Root, "src", "Models");
        var reference = new Regex(@"LvlmEval\.Models\.([A-Za-z]+)\b", RegexOptions.CultureInvariant);
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal) || !relative.Contains('/')) continue;
            string from = relative[..relative.IndexOf('/')];
            var code = string.Join('\n', File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("///", StringComparison.Ordinal)));
            foreach (Match m in reference.Matches(code))
                if (m.Groups[1].Value != from && Directory.Exists(Path.Combine(root, m.Groups[1].Value)))
                    (edges.TryGetValue(from, out var set) ? set : edges[from] = new HashSet<string>(StringComparer.Ordinal)).Add(m.Groups[1].Value);
        }
        Assert.That(edges, Is.Not.Empty, "the scan found the namespaces' references");
        foreach (var start in edges.Keys)
        {
            // Depth-first search for a path back to start.
            var stack = new Stack<List<string>>([[start]]);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (stack.Count > 0)
            {
                var path = stack.Pop();
                foreach (var next in edges.GetValueOrDefault(path[^1]) ?? [])
                {
                    Assert.That(next, Is.Not.EqualTo(start), $"namespace cycle: {string.Join(" → ", path.Append(next))}");
                    if (seen.Add(next)) stack.Push([.. path, next]);
                }
            }
        }
    }
}
