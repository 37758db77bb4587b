namespace LvlmEval.Explainers.Causal;

/// <summary>
/// Ordered ICD: the iterative causal discovery of Rohekar et al. (NeurIPS 2021) when a causal order is known, as CLEANN
/// uses it for tokens (a token is never a cause of an earlier one). Nodes are 0 … n − 1 in that order. For r = 0, 1,
/// 2, … every edge between a node and an earlier one is tested with conditioning sets of size r drawn from the node's
/// possible-d-sep tree of depth r (ICD-Sep: nodes on possible-collider paths, each a possible ancestor of either end),
/// the skeleton is pruned and re-oriented (earlier o→ later, v-structures, R1–R4) after each r, and the search stops
/// when no edge has a legal conditioning set left. Behaviour follows IntelLabs/causality-lab's
/// <c>LearnStructOrderedICD.learn_structure_global</c> with <c>is_selection_bias=False</c> (orientation rules R0–R4 after
/// every conditioning size); not applied: the tail-completeness rules R8–R10 (they only add tails on the earlier end,
/// which no query here reads).
/// </summary>
public sealed class OrderedIcd
{
    private readonly PartialCorrelationTest _test;
    private readonly bool[,] _done;

    /// <summary>A learner over the test's variables, which must be listed in causal order.</summary>
    public OrderedIcd(PartialCorrelationTest test, int nodes, int? maxConditioningSize = null)
    {
        _test = test;
        Graph = new AncestralGraph(nodes);
        _done = new bool[nodes, nodes];
        MaxConditioningSize = maxConditioningSize;
    }

    /// <summary>The learned graph (complete until <see cref="Learn"/> runs).</summary>
    public AncestralGraph Graph { get; }

    /// <summary>Separating sets of the removed edges.</summary>
    public SeparatingSets SeparatingSets { get; } = new();

    /// <summary>Largest conditioning set tried (null: up to n − 2, as the reference).</summary>
    public int? MaxConditioningSize { get; }

    /// <summary>Runs the search and returns <see cref="Graph"/>.</summary>
    public AncestralGraph Learn()
    {
        int n = Graph.Count;
        for (int b = 1; b < n; b++)
            for (int a = 0; a < b; a++)
                if (_test.Independent(a, b, []))
                {
                    Graph.Delete(a, b);
                    _done[b, a] = true;
                }
        Orient();

        for (int b = 2; b < n; b++) PruneWithOne(b);
        Orient();

        int last = (MaxConditioningSize ?? n - 2) + 1;
        bool finished = true;
        for (int r = 2; r < last; r++)
        {
            for (int b = r + 1; b < n; b++) finished &= PruneWithSize(r, b);
            if (finished) break;
            Orient();
        }
        Orient();
        return Graph;
    }

    /// <summary>Conditioning on one earlier neighbour of the later node.</summary>
    private void PruneWithOne(int b)
    {
        for (int a = 0; a < b; a++)
        {
            if (!Graph.Adjacent(a, b) || _done[b, a]) continue;
            for (int z = 0; z < b; z++)
            {
                if (z == a || !Graph.Adjacent(b, z)) continue;
                if (_test.Independent(a, b, [z]))
                {
                    Graph.Delete(a, b);
                    SeparatingSets.Set(a, b, [z]);
                    _done[b, a] = true;
                    break;
                }
            }
        }
    }

    /// <summary>Conditioning sets of size <paramref name="r"/>; true when no edge into <paramref name="b"/> had a legal set left.</summary>
    private bool PruneWithSize(int r, int b)
    {
        bool allDone = true;
        for (int a = 0; a < b; a++) allDone &= _done[b, a];
        if (allDone) return true;

        var earlier = new HashSet<int>(Enumerable.Range(0, b + 1));
        var (tree, pds) = PossibleDSepTree.Build(Graph, b, earlier, r);
        var candidates = tree.Subsets(pds, r);
        bool finished = true;
        for (int a = 0; a < b; a++)
        {
            if (_done[b, a]) continue;
            _done[b, a] = true; // stays so when no legal conditioning set exists
            if (!Graph.Adjacent(a, b)) continue;
            foreach (var (set, _) in candidates)
            {
                if (Array.IndexOf(set, a) >= 0 || !PossibleAncestorsOfEither(set, a, b)) continue;
                if (_test.Independent(a, b, set))
                {
                    Graph.Delete(a, b);
                    SeparatingSets.Set(a, b, set);
                    _done[b, a] = true;
                    break;
                }
                _done[b, a] = false;
                finished = false;
            }
        }
        return finished;
    }

    /// <summary>ICD-Sep condition 3 with the order: each conditioning node is a possible ancestor of a (among nodes up to a) or of b (up to b).</summary>
    private bool PossibleAncestorsOfEither(int[] set, int a, int b)
    {
        var upToA = new HashSet<int>(Enumerable.Range(0, a + 1));
        var upToB = new HashSet<int>(Enumerable.Range(0, b + 1));
        foreach (int z in set)
            if (!Graph.IsPossibleAncestor(z, a, upToA) && !Graph.IsPossibleAncestor(z, b, upToB)) return false;
        return true;
    }

    /// <summary>Earlier o→ later on every edge, then v-structures and R1–R4.</summary>
    private void Orient()
    {
        for (int b = 1; b < Graph.Count; b++)
            for (int a = 0; a < b; a++)
            {
                if (!Graph.Adjacent(a, b)) continue;
                Graph.SetMark(b, a, EdgeMark.Arrow);
                Graph.SetMark(a, b, EdgeMark.Circle);
            }
        Graph.OrientVStructures(SeparatingSets);
        Graph.OrientByRules(SeparatingSets);
    }
}
