using LvlmEval.Explainers.Causal;
using LvlmEval.Explainers.Methods;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>
/// CLEANN on hand-made attention matrices with a known causal graph. For a linear SCM X = B·X + ε over independent
/// sources ε, X = M·ε with M = (I − B)⁻¹, so the matrix whose rows are M's (scaled to sum to 1 like attention rows) has
/// A·Aᵀ ∝ cov(X): exactly CLEANN's reading of attention. Rows of latent variables are dropped (their columns stay).
/// Truth: ICD recovers the graph's adjacencies among observed nodes (with a latent, the inducing path's adjacency), and
/// the explanation set of the last token is the possible-d-sep set derived by hand from the true ancestral graph.
/// </summary>
public sealed class CleannGraphTests
{
    /// <summary>Attention rows for the observed nodes from edges (parent, child, weight) over <paramref name="nodes"/> variables.</summary>
    internal static float[] Attention(int nodes, (int From, int To, double W)[] edges, int[] observed)
    {
        var m = new double[nodes, nodes]; // M = (I − B)⁻¹ by forward substitution (nodes are in causal order)
        for (int i = 0; i < nodes; i++)
        {
            m[i, i] = 1;
            foreach (var (from, to, w) in edges)
                if (to == i)
                    for (int k = 0; k < nodes; k++) m[i, k] += w * m[from, k];
        }
        var result = new float[observed.Length * nodes];
        for (int r = 0; r < observed.Length; r++)
        {
            double sum = 0;
            for (int k = 0; k < nodes; k++) sum += m[observed[r], k];
            for (int k = 0; k < nodes; k++) result[r * nodes + k] = (float)(m[observed[r], k] / sum);
        }
        return result;
    }

    private static (AncestralGraph Graph, List<int> Set) Run(int nodes, (int, int, double)[] edges, int[] observed)
    {
        var rows = Attention(nodes, edges, observed);
        var a = new float[observed.Length, nodes];
        for (int r = 0; r < observed.Length; r++)
            for (int k = 0; k < nodes; k++) a[r, k] = rows[r * nodes + k];
        var test = new PartialCorrelationTest(PartialCorrelationTest.AttentionCorrelation(a), 100_000, 1e-5);
        var graph = new OrderedIcd(test, observed.Length).Learn();

        // The same through the explainer's entry point, on a square matrix whose rows are the observed positions.
        var square = new float[nodes * nodes];
        for (int r = 0; r < observed.Length; r++)
            Array.Copy(rows, r * nodes, square, observed[r] * nodes, nodes);
        var set = CleannExplainer.Explain(square, nodes, observed, observed[^1], 100_000, 1e-5, searchRange: 3);
        return (graph, set);
    }

    private static int[][] Adjacencies(AncestralGraph g)
    {
        var list = new List<int[]>();
        for (int i = 0; i < g.Count; i++)
            for (int j = i + 1; j < g.Count; j++)
                if (g.Adjacent(i, j)) list.Add([i, j]);
        return list.ToArray();
    }

    [Test]
    public void ChainKeepsOnlyConsecutiveEdgesAndExplainsByTheParent()
    {
        var (graph, set) = Run(4, [(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.9)], [0, 1, 2, 3]);
        Assert.That(Adjacencies(graph), Is.EqualTo(new[] { new[] { 0, 1 }, [1, 2], [2, 3] }));
        Assert.That(set, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void ColliderIsOrientedAndItsParentsStayOutOfTheSet()
    {
        // 0 → 2 ← 1, 2 → 3: 0 and 1 are marginally independent, so 2 is a v-structure; explaining 3 stops at 2 because
        // 2 is a non-collider on 3 − 2 − 0 (R1 puts a tail at 2).
        var (graph, set) = Run(4, [(0, 2, 0.8), (1, 2, 0.8), (2, 3, 0.9)], [0, 1, 2, 3]);
        Assert.That(Adjacencies(graph), Is.EqualTo(new[] { new[] { 0, 2 }, [1, 2], [2, 3] }));
        Assert.That(graph.Mark(2, 0), Is.EqualTo(EdgeMark.Arrow));
        Assert.That(graph.Mark(2, 1), Is.EqualTo(EdgeMark.Arrow));
        Assert.That(graph.Mark(2, 3), Is.EqualTo(EdgeMark.Tail));
        Assert.That(set, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void DiamondExplainsTheLastNodeByBothParents()
    {
        // 0 → 1, 0 → 2, 1 → 3, 2 → 3: 1 and 2 are separated by 0, 0 and 3 by {1, 2}.
        var (graph, set) = Run(4, [(0, 1, 0.8), (0, 2, 0.7), (1, 3, 0.8), (2, 3, 0.9)], [0, 1, 2, 3]);
        Assert.That(Adjacencies(graph), Is.EqualTo(new[] { new[] { 0, 1 }, [0, 2], [1, 3], [2, 3] }));
        Assert.That(set, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void LatentConfounderReachesTheCauseBehindTheCollider()
    {
        // Variables 0 (observed), 1 latent L, 2 (observed X), 3 (observed target): 0 → 2 ← L → 3. Among the observed,
        // 0 ⫫ 3 and 2 is adjacent to both, so 0 *→ 2 ←* 3 and 2 is a collider on 3 − 2 − 0: the explanation set of 3
        // is {2, 0}, the latent's reach CLEANN is built for; a DAG-only reading would stop at 2.
        var (graph, set) = Run(4, [(0, 2, 0.9), (1, 2, 0.9), (1, 3, 0.9)], [0, 2, 3]);
        Assert.That(Adjacencies(graph), Is.EqualTo(new[] { new[] { 0, 1 }, [1, 2] }));
        Assert.That(graph.Mark(1, 2), Is.EqualTo(EdgeMark.Arrow));
        Assert.That(set, Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void DiscriminatingPathOrientsATailWhenItsNodeSeparates()
    {
        // D → A ← L → B, A → C, B → C with L latent (variables D 0, L 1, A 2, B 3, C 4; observed D, A, B, C = 0 … 3).
        // D ⫫ B (A is a collider), D ⫫ C | {A, B}. ⟨D, A, B, C⟩ is a discriminating path for B: A is a collider on it
        // and a parent of C, D and C are not adjacent. B is in D and C's separating set, so R4 makes B → C (Zhang 2008);
        // no other rule reaches the circle at B (A, the only node *→ B, is adjacent to C).
        var (graph, _) = Run(5, [(0, 2, 0.9), (1, 2, 0.9), (1, 3, 0.9), (2, 4, 0.8), (3, 4, 0.8)], [0, 2, 3, 4]);
        Assert.That(Adjacencies(graph), Is.EqualTo(new[] { new[] { 0, 1 }, [1, 2], [1, 3], [2, 3] }));
        Assert.That((graph.Mark(1, 0), graph.Mark(1, 2), graph.Mark(2, 1)), Is.EqualTo((EdgeMark.Arrow, EdgeMark.Arrow, EdgeMark.Arrow)), "D *→ A ↔ B");
        Assert.That((graph.Mark(1, 3), graph.Mark(3, 1)), Is.EqualTo((EdgeMark.Tail, EdgeMark.Arrow)), "A → C (R1)");
        Assert.That((graph.Mark(2, 3), graph.Mark(3, 2)), Is.EqualTo((EdgeMark.Tail, EdgeMark.Arrow)), "B → C (R4)");
    }

    [Test]
    public void DiscriminatingPathOrientsBidirectedEdgesWhenItsNodeDoesNotSeparate()
    {
        // D → A ← L1 → B ← L2 → C, A → C with L1, L2 latent (D 0, L1 1, A 2, L2 3, B 4, C 5; observed D, A, B, C = 0 … 3).
        // D ⫫ C | A, and B is not in that separating set: R4 orients the discriminating path's end A ↔ B ↔ C.
        var (graph, _) = Run(6, [(0, 2, 0.9), (1, 2, 0.9), (1, 4, 0.9), (3, 4, 0.9), (3, 5, 0.9), (2, 5, 0.8)], [0, 2, 4, 5]);
        Assert.That(Adjacencies(graph), Is.EqualTo(new[] { new[] { 0, 1 }, [1, 2], [1, 3], [2, 3] }));
        Assert.That((graph.Mark(1, 3), graph.Mark(3, 1)), Is.EqualTo((EdgeMark.Tail, EdgeMark.Arrow)), "A → C (R1)");
        Assert.That((graph.Mark(1, 2), graph.Mark(2, 1)), Is.EqualTo((EdgeMark.Arrow, EdgeMark.Arrow)), "A ↔ B");
        Assert.That((graph.Mark(2, 3), graph.Mark(3, 2)), Is.EqualTo((EdgeMark.Arrow, EdgeMark.Arrow)), "B ↔ C (R4)");
    }

    [Test]
    public void SearchRangeLimitsTheSet()
    {
        var rows = Attention(4, [(0, 2, 0.9), (1, 2, 0.9), (1, 3, 0.9)], [0, 2, 3]);
        var square = new float[16];
        int[] observed = [0, 2, 3];
        for (int r = 0; r < 3; r++) Array.Copy(rows, r * 4, square, observed[r] * 4, 4);
        Assert.That(CleannExplainer.Explain(square, 4, observed, 3, 100_000, 1e-5, searchRange: 1), Is.EqualTo(new[] { 2 }));
    }
}
