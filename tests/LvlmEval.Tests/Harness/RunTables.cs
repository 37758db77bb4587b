using LvlmEval.Results;

namespace LvlmEval.Tests.Harness;

/// <summary>A run's rows in a canonical order with wall-clock columns blanked, so two runs can be compared for equality.</summary>
public sealed record RunTables(List<string> Samples, List<string> Scores, List<string> Curves, List<string> Maps, List<string> Errors)
{
    /// <summary>Canonical rows of <paramref name="results"/>; generation_ms is the only value allowed to differ between equal runs.</summary>
    public static RunTables Of(RunResults results) => new(
        Sorted(results.Samples.Select(s => (s with { GenerationMs = 0 }).ToString())),
        Sorted(results.Scores.Select(s => s.ToString())),
        Sorted(results.Curves.Select(c => c.ToString())),
        Sorted(results.Maps.Select(m => m.ToString())),
        Sorted(results.Errors.Select(e => (e with { Shard = 0, Chunk = 0 }).ToString())));

    private static List<string> Sorted(IEnumerable<string> rows) => rows.Order(StringComparer.Ordinal).ToList();

    /// <summary>Asserts table by table, reporting the first differing row.</summary>
    public void AssertEqual(RunTables other, string what)
    {
        foreach (var (name, a, b) in new[] { ("samples", Samples, other.Samples), ("scores", Scores, other.Scores), ("curves", Curves, other.Curves), ("maps", Maps, other.Maps), ("errors", Errors, other.Errors) })
        {
            Assert.That(b, Has.Count.EqualTo(a.Count), $"{what}: {name} row count");
            for (int i = 0; i < a.Count; i++)
                if (a[i] != b[i]) Assert.Fail($"{what}: {name} row {i} differs:\n  {a[i]}\n  {b[i]}");
        }
    }
}
