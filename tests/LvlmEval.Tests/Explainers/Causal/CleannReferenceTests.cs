using System.Text.Json;
using LvlmEval.Explainers.Causal;
using LvlmEval.Explainers.Methods;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>
/// CLEANN's causal search against tests/oracles/cleann_reference.py, an independent Python transcription of
/// IntelLabs/causality-lab (CLEANN.explain → LearnStructOrderedICD.learn_structure_global → icd.create_pds_tree, PAG
/// rules R0–R4). Both get the same attention rows; the learned graph's edge marks and the explanation set of the last
/// token must be identical. Inputs: the known-graph matrices of <see cref="CleannGraphTests"/> (v-structure, latent
/// confounder, both R4 outcomes) and seeded random causal-softmax attention at the explainer's defaults and at looser
/// settings that prune more.
/// </summary>
public sealed class CleannReferenceTests
{
    private sealed record Case(string Name, double[][] Rows, int Samples, double Significance, int SearchRange, int? MaxCond);

    private sealed record Result(int[][] Marks, int[] Set);

    [Test]
    public void KnownGraphsMatchTheReferenceTranscription()
    {
        (string, int, (int, int, double)[], int[])[] graphs =
        [
            ("chain", 4, [(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.9)], [0, 1, 2, 3]),
            ("collider", 4, [(0, 2, 0.8), (1, 2, 0.8), (2, 3, 0.9)], [0, 1, 2, 3]),
            ("diamond", 4, [(0, 1, 0.8), (0, 2, 0.7), (1, 3, 0.8), (2, 3, 0.9)], [0, 1, 2, 3]),
            ("latent confounder", 4, [(0, 2, 0.9), (1, 2, 0.9), (1, 3, 0.9)], [0, 2, 3]),
            ("R4 tail", 5, [(0, 2, 0.9), (1, 2, 0.9), (1, 3, 0.9), (2, 4, 0.8), (3, 4, 0.8)], [0, 2, 3, 4]),
            ("R4 bidirected", 6, [(0, 2, 0.9), (1, 2, 0.9), (1, 4, 0.9), (3, 4, 0.9), (3, 5, 0.9), (2, 5, 0.8)], [0, 2, 4, 5]),
        ];
        var cases = new List<Case>();
        foreach (var (name, nodes, edges, observed) in graphs)
        {
            var flat = CleannGraphTests.Attention(nodes, edges, observed);
            var rows = Enumerable.Range(0, observed.Length).Select(r => flat.Skip(r * nodes).Take(nodes).Select(v => (double)v).ToArray()).ToArray();
            cases.Add(new Case(name, rows, 100_000, 1e-5, 3, null));
            cases.Add(new Case(name + ", range 1", rows, 100_000, 1e-5, 1, null));
        }
        AssertSameAsReference(cases);
    }

    [Test]
    public void SeededRandomAttentionMatchesTheReferenceTranscription()
    {
        var cases = new List<Case>();
        foreach (var (seed, samples, significance, maxCond) in new (int, int, double, int?)[]
                 { (1, 128, 1e-5, null), (2, 24, 0.05, null), (3, 16, 0.2, null), (4, 24, 0.05, 1) })
        {
            var rows = RandomCausalAttention(seed, sequence: 12, positions: 8);
            cases.Add(new Case($"seed {seed}, samples {samples}, significance {significance}, max conditioning {maxCond}", rows, samples, significance, 3, maxCond));
        }
        var results = AssertSameAsReference(cases);
        // The inputs must exercise the search: some edges pruned, some kept, a non-empty set somewhere.
        int kept = results.Sum(r => r.Marks.Sum(row => row.Count(m => m != 0)));
        int possible = results.Sum(r => r.Marks.Length * (r.Marks.Length - 1));
        Assert.That(kept, Is.InRange(1, possible - 1), "random cases prune some edges and keep others");
        Assert.That(results.Any(r => r.Set.Length > 0), Is.True);
    }

    /// <summary>
    /// <paramref name="positions"/> rows of a seeded causal softmax attention over <paramref name="sequence"/> tokens:
    /// rows of distinct, increasing positions (the last is the target), every key column.
    /// </summary>
    private static double[][] RandomCausalAttention(int seed, int sequence, int positions)
    {
        var rng = new Random(seed);
        var chosen = Enumerable.Range(1, sequence - 2).OrderBy(_ => rng.Next()).Take(positions - 1).Order().Append(sequence - 1).ToArray();
        var rows = new double[positions][];
        for (int r = 0; r < positions; r++)
        {
            int q = chosen[r];
            var row = new double[sequence];
            double sum = 0;
            for (int k = 0; k <= q; k++) sum += row[k] = (float)Math.Exp(2.0 * rng.NextDouble());
            for (int k = 0; k <= q; k++) row[k] = (float)(row[k] / sum);
            rows[r] = row;
        }
        return rows;
    }

    private static List<Result> AssertSameAsReference(List<Case> cases)
    {
        using var dir = new TempDir("cleann-ref");
        var json = JsonSerializer.Serialize(cases.Select(c => new
        {
            rows = c.Rows, samples = c.Samples, significance = c.Significance, search_range = c.SearchRange, max_cond = c.MaxCond,
        }));
        File.WriteAllText(dir.File("cases.json"), json);
        var expected = JsonSerializer.Deserialize<List<Result>>(PythonOracle.Run("cleann_reference.py", dir.File("cases.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        Assert.That(expected, Has.Count.EqualTo(cases.Count));
        var ours = new List<Result>();
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var (marks, set) = Ours(c);
            Assert.Multiple(() =>
            {
                Assert.That(marks, Is.EqualTo(expected[i].Marks), $"{c.Name}: edge marks (mark at i on i–j; 1 o, 2 >, 3 −)");
                Assert.That(set, Is.EqualTo(expected[i].Set), $"{c.Name}: explanation set of the last token");
            });
            ours.Add(new Result(marks, set));
        }
        return ours;
    }

    /// <summary>The graph through the learner's public pieces and the set through the explainer's entry point.</summary>
    private static (int[][] Marks, int[] Set) Ours(Case c)
    {
        int n = c.Rows.Length, m = c.Rows[0].Length;
        var rows = new float[n, m];
        for (int a = 0; a < n; a++) for (int b = 0; b < m; b++) rows[a, b] = (float)c.Rows[a][b];
        var test = new PartialCorrelationTest(PartialCorrelationTest.AttentionCorrelation(rows), c.Samples, c.Significance);
        var graph = new OrderedIcd(test, n, c.MaxCond).Learn();
        var marks = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => i == j ? 0 : (int)graph.Mark(i, j)).ToArray()).ToArray();

        // Explain reads a square [m, m] matrix; place row a at position p_a (distinct, increasing, last = target).
        var positions = Enumerable.Range(0, n).Select(a => m - n + a).ToArray();
        var square = new float[m * m];
        for (int a = 0; a < n; a++) for (int b = 0; b < m; b++) square[positions[a] * m + b] = rows[a, b];
        var set = CleannExplainer.Explain(square, m, positions, positions[^1], c.Samples, c.Significance, c.SearchRange, c.MaxCond)
            .Select(p => p - (m - n)).ToArray();
        return (marks, set);
    }
}
