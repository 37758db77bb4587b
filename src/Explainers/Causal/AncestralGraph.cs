namespace LvlmEval.Explainers.Causal;

/// <summary>The mark an edge carries at one of its ends in a partial ancestral graph.</summary>
public enum EdgeMark : byte
{
    /// <summary>No edge.</summary>
    None,
    /// <summary>Undetermined (o).</summary>
    Circle,
    /// <summary>Arrowhead (&gt;): not an ancestor of the node at the other end.</summary>
    Arrow,
    /// <summary>Tail (−): an ancestor of the node at the other end.</summary>
    Tail,
}

/// <summary>
/// A partial ancestral graph over nodes 0 … n − 1 (Zhang 2008), with the queries and orientation rules ICD uses
/// (Rohekar et al. 2021, "Iterative Causal Discovery in the Possible Presence of Latent Confounders and Selection
/// Bias"). <c>Mark(at, other)</c> is the mark at <c>at</c> on the edge between the two.
/// </summary>
public sealed class AncestralGraph
{
    private readonly EdgeMark[,] _marks;

    /// <summary>A complete graph with circle marks everywhere (o−o).</summary>
    public AncestralGraph(int nodes)
    {
        Count = nodes;
        _marks = new EdgeMark[nodes, nodes];
        for (int i = 0; i < nodes; i++)
            for (int j = 0; j < nodes; j++)
                if (i != j) _marks[i, j] = EdgeMark.Circle;
    }

    /// <summary>Number of nodes.</summary>
    public int Count { get; }

    /// <summary>The mark at <paramref name="at"/> on its edge with <paramref name="other"/> (None when not adjacent).</summary>
    public EdgeMark Mark(int at, int other) => _marks[at, other];

    /// <summary>Sets the mark at <paramref name="at"/> on an existing edge.</summary>
    public void SetMark(int at, int other, EdgeMark mark)
    {
        if (_marks[at, other] == EdgeMark.None) throw new InvalidOperationException($"No edge between {at} and {other}.");
        _marks[at, other] = mark;
    }

    /// <summary>Whether the two nodes are adjacent.</summary>
    public bool Adjacent(int a, int b) => _marks[a, b] != EdgeMark.None;

    /// <summary>Removes the edge.</summary>
    public void Delete(int a, int b) => _marks[a, b] = _marks[b, a] = EdgeMark.None;

    /// <summary>Neighbours of <paramref name="node"/> in ascending order.</summary>
    public List<int> Neighbours(int node)
    {
        var list = new List<int>();
        for (int j = 0; j < Count; j++) if (_marks[node, j] != EdgeMark.None) list.Add(j);
        return list;
    }

    /// <summary>X *→ M ←* Y.</summary>
    public bool IsCollider(int x, int middle, int y) => _marks[middle, x] == EdgeMark.Arrow && _marks[middle, y] == EdgeMark.Arrow;

    /// <summary>The middle node may be a collider on X *−* M *−* Y in some completion: a definite collider or a triangle.</summary>
    public bool IsPossibleCollider(int x, int middle, int y) =>
        x != y && Adjacent(x, middle) && Adjacent(middle, y) && (Adjacent(x, y) || IsCollider(x, middle, y));

    /// <summary>No arrowhead at the parent and no tail at the child on their edge.</summary>
    public bool IsPossibleParent(int parent, int child) =>
        parent != child && Adjacent(parent, child) && _marks[child, parent] != EdgeMark.Tail && _marks[parent, child] != EdgeMark.Arrow;

    /// <summary>A possibly directed path from <paramref name="ancestor"/> to <paramref name="descendant"/> through <paramref name="allowed"/> (all nodes when null).</summary>
    public bool IsPossibleAncestor(int ancestor, int descendant, ISet<int>? allowed = null)
    {
        var visited = new HashSet<int> { ancestor };
        var frontier = new Stack<int>();
        frontier.Push(ancestor);
        while (frontier.Count > 0)
        {
            int node = frontier.Pop();
            for (int child = 0; child < Count; child++)
            {
                if (visited.Contains(child) || (allowed is not null && !allowed.Contains(child)) || !IsPossibleParent(node, child)) continue;
                if (child == descendant) return true;
                visited.Add(child);
                frontier.Push(child);
            }
        }
        return false;
    }

    /// <summary>[R0] X *−* Z *−* Y with X, Y non-adjacent and Z outside their separating set becomes X *→ Z ←* Y.</summary>
    public void OrientVStructures(SeparatingSets sepsets)
    {
        for (int z = 0; z < Count; z++)
        {
            var around = Neighbours(z);
            for (int i = 0; i < around.Count; i++)
                for (int j = i + 1; j < around.Count; j++)
                {
                    int x = around[i], y = around[j];
                    if (Adjacent(x, y) || sepsets.Get(x, y).Contains(z)) continue;
                    _marks[z, x] = EdgeMark.Arrow;
                    _marks[z, y] = EdgeMark.Arrow;
                }
        }
    }

    /// <summary>
    /// Applies R1–R4 of FCI (Zhang 2008) until none changes the graph, as ICD's anytime orientation does; R4 reads the
    /// separating sets <paramref name="sepsets"/>.
    /// </summary>
    public void OrientByRules(SeparatingSets sepsets)
    {
        bool changed = true;
        while (changed) changed = Rule1() | Rule2() | Rule3() | Rule4(sepsets);
    }

    /// <summary>
    /// [R4] A discriminating path ⟨D, …, A, B, C⟩ for B (D and C non-adjacent, every node between D and B a collider on
    /// the path and a parent of C) with B o−* C: B → C when B is in the separating set of D and C, else A ↔ B ↔ C.
    /// The search follows the path backwards from the triple (A, B, C) with A → C and A ←* B.
    /// </summary>
    private bool Rule4(SeparatingSets sepsets)
    {
        bool changed = false;
        for (int b = 0; b < Count; b++)
            for (int c = 0; c < Count; c++)
            {
                if (_marks[b, c] != EdgeMark.Circle) continue;
                for (int a = 0; a < Count; a++)
                {
                    if (a == b || a == c || !IsParent(a, c) || _marks[a, b] != EdgeMark.Arrow) continue;
                    var excluded = new HashSet<int> { a, b, c };
                    int? d = DiscriminatingPathSource(a, c, excluded);
                    if (d is null) continue;
                    if (sepsets.Get(d.Value, c).Contains(b))
                    {
                        _marks[b, c] = EdgeMark.Tail;
                        _marks[c, b] = EdgeMark.Arrow;
                    }
                    else
                    {
                        _marks[a, b] = _marks[b, a] = EdgeMark.Arrow;
                        _marks[b, c] = _marks[c, b] = EdgeMark.Arrow;
                    }
                    changed = true;
                    break;
                }
            }
        return changed;
    }

    /// <summary>
    /// The source D of a discriminating path ending … → <paramref name="a"/> ←* B *−* <paramref name="c"/>: a node D *→ A not
    /// adjacent to C, or, through a node D ↔ A that is a parent of C, the source of a longer path.
    /// </summary>
    private int? DiscriminatingPathSource(int a, int c, IReadOnlySet<int> excluded)
    {
        var extensions = new List<int>();
        for (int d = 0; d < Count; d++)
        {
            if (excluded.Contains(d) || _marks[a, d] != EdgeMark.Arrow) continue;
            if (!Adjacent(d, c)) return d;
            if (IsParent(d, c) && _marks[d, a] == EdgeMark.Arrow) extensions.Add(d);
        }
        foreach (int d in extensions)
            if (DiscriminatingPathSource(d, c, new HashSet<int>(excluded) { d }) is { } source) return source;
        return null;
    }

    /// <summary>parent → child: a tail at the parent and an arrowhead at the child.</summary>
    private bool IsParent(int parent, int child) => _marks[parent, child] == EdgeMark.Tail && _marks[child, parent] == EdgeMark.Arrow;

    /// <summary>[R1] A *→ B o−* C, A and C non-adjacent: B → C.</summary>
    private bool Rule1()
    {
        bool changed = false;
        for (int b = 0; b < Count; b++)
            for (int a = 0; a < Count; a++)
            {
                if (_marks[b, a] != EdgeMark.Arrow) continue;
                for (int c = 0; c < Count; c++)
                {
                    if (c == a || _marks[b, c] != EdgeMark.Circle || Adjacent(a, c)) continue;
                    _marks[b, c] = EdgeMark.Tail;
                    _marks[c, b] = EdgeMark.Arrow;
                    changed = true;
                }
            }
        return changed;
    }

    /// <summary>[R2] A → B *→ C or A *→ B → C, and A *−o C: A *→ C.</summary>
    private bool Rule2()
    {
        bool changed = false;
        for (int b = 0; b < Count; b++)
            for (int a = 0; a < Count; a++)
            {
                if (_marks[b, a] != EdgeMark.Arrow) continue;
                for (int c = 0; c < Count; c++)
                {
                    if (c == a || c == b || _marks[c, a] != EdgeMark.Circle || _marks[c, b] != EdgeMark.Arrow) continue;
                    bool bThenC = _marks[b, c] == EdgeMark.Tail;       // A *→ B → C
                    bool aThenB = _marks[a, b] == EdgeMark.Tail;       // A → B *→ C
                    if (!bThenC && !aThenB) continue;
                    _marks[c, a] = EdgeMark.Arrow;
                    changed = true;
                }
            }
        return changed;
    }

    /// <summary>[R3] A *→ B ←* C, A *−o D o−* C, A and C non-adjacent, D *−o B: D *→ B.</summary>
    private bool Rule3()
    {
        bool changed = false;
        for (int b = 0; b < Count; b++)
            for (int d = 0; d < Count; d++)
            {
                if (_marks[b, d] != EdgeMark.Circle) continue;
                var ac = new List<int>();
                for (int v = 0; v < Count; v++)
                    if (v != d && _marks[b, v] == EdgeMark.Arrow && _marks[d, v] == EdgeMark.Circle) ac.Add(v);
                bool found = false;
                for (int i = 0; i < ac.Count && !found; i++)
                    for (int j = i + 1; j < ac.Count && !found; j++)
                        found = !Adjacent(ac[i], ac[j]);
                if (!found) continue;
                _marks[b, d] = EdgeMark.Arrow;
                changed = true;
            }
        return changed;
    }
}

/// <summary>The conditioning set that separated each removed edge.</summary>
public sealed class SeparatingSets
{
    private readonly Dictionary<(int, int), int[]> _sets = new();

    /// <summary>Records the set that made <paramref name="a"/> and <paramref name="b"/> independent.</summary>
    public void Set(int a, int b, IReadOnlyList<int> set) => _sets[Key(a, b)] = set.ToArray();

    /// <summary>The separating set (empty when none was recorded).</summary>
    public IReadOnlyList<int> Get(int a, int b) => _sets.TryGetValue(Key(a, b), out var s) ? s : [];

    private static (int, int) Key(int a, int b) => a < b ? (a, b) : (b, a);
}
