namespace LvlmEval.Explainers.Causal;

/// <summary>
/// The possible-d-separation tree of a node (ICD, Rohekar et al. 2021): a breadth-first search from the root along
/// paths whose every inner node is a possible collider, each edge walked once, down to a maximum depth. Its nodes are
/// ICD's candidate conditioning nodes and, for CLEANN, the explanation set of the root.
/// </summary>
public sealed class PossibleDSepTree
{
    private readonly List<PossibleDSepTree> _children = [];

    private PossibleDSepTree(int node, int depth)
    {
        Node = node;
        Depth = depth;
    }

    /// <summary>The node at this branch's root.</summary>
    public int Node { get; }

    /// <summary>Distance from the tree's root (root = 0).</summary>
    public int Depth { get; }

    /// <summary>Child branches in discovery order.</summary>
    public IReadOnlyList<PossibleDSepTree> Children => _children;

    /// <summary>
    /// Builds the tree rooted at <paramref name="root"/> in <paramref name="graph"/> restricted to <paramref name="allowed"/>
    /// (all nodes when null), <paramref name="maxDepth"/> levels deep (unbounded when null); returns it and its node set (root excluded).
    /// </summary>
    public static (PossibleDSepTree Tree, SortedSet<int> Nodes) Build(AncestralGraph graph, int root, ISet<int>? allowed = null, int? maxDepth = null)
    {
        int n = graph.Count;
        bool In(int v) => allowed is null || allowed.Contains(v);
        var open = new bool[n, n]; // skeleton edges not yet walked
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) open[i, j] = i != j && In(i) && In(j) && graph.Adjacent(i, j);
        int depthLimit = maxDepth ?? n - 1;

        var tree = new PossibleDSepTree(root, 0);
        var nodes = new SortedSet<int>();
        var queue = new Queue<(int First, PossibleDSepTree Second)>();
        for (int v = 0; v < n; v++)
        {
            if (!open[root, v]) continue;
            open[root, v] = open[v, root] = false;
            var branch = new PossibleDSepTree(v, 1);
            tree._children.Add(branch);
            nodes.Add(v);
            queue.Enqueue((root, branch));
        }
        while (queue.Count > 0)
        {
            var (first, second) = queue.Dequeue();
            if (second.Depth >= depthLimit) continue;
            int middle = second.Node;
            for (int third = 0; third < n; third++)
            {
                if (!open[middle, third] || !graph.IsPossibleCollider(first, middle, third)) continue;
                open[middle, third] = open[third, middle] = false;
                var branch = second._children.Find(c => c.Node == third);
                if (branch is null)
                {
                    branch = new PossibleDSepTree(third, second.Depth + 1);
                    second._children.Add(branch);
                }
                nodes.Add(third);
                queue.Enqueue((middle, branch));
            }
        }
        nodes.Remove(root);
        return (tree, nodes);
    }

    /// <summary>Smallest depth at which <paramref name="node"/> appears below this branch (∞ when absent).</summary>
    public int MinimalDistance(int node)
    {
        int best = int.MaxValue;
        foreach (var child in _children)
        {
            if (child.Node == node) return child.Depth;
            best = Math.Min(best, child.MinimalDistance(node));
        }
        return best;
    }

    /// <summary>
    /// Every subset of <paramref name="nodes"/> of size <paramref name="size"/> whose members are each reachable from the
    /// root through members only (ICD-Sep condition 2b), with the sum of its members' minimal distances, sorted by that sum (stable).
    /// </summary>
    public List<(int[] Set, int Distance)> Subsets(IReadOnlyCollection<int> nodes, int size)
    {
        var list = nodes.ToArray();
        var distance = list.ToDictionary(v => v, MinimalDistance);
        var result = new List<(int[] Set, int Distance)>();
        if (size > list.Length) return result;
        var pick = new int[size];
        void Walk(int start, int depth)
        {
            if (depth == size)
            {
                var set = new int[size];
                for (int i = 0; i < size; i++) set[i] = list[pick[i]];
                if (set.All(v => Reachable(v, set))) result.Add((set, set.Sum(v => distance[v])));
                return;
            }
            for (int i = start; i <= list.Length - (size - depth); i++)
            {
                pick[depth] = i;
                Walk(i + 1, depth + 1);
            }
        }
        Walk(0, 0);
        return result.OrderBy(r => r.Distance).ToList();
    }

    /// <summary>Whether <paramref name="target"/> is reachable from this branch through nodes of <paramref name="through"/> only.</summary>
    private bool Reachable(int target, int[] through)
    {
        foreach (var child in _children)
        {
            if (child.Node == target) return true;
            if (Array.IndexOf(through, child.Node) >= 0 && child.Reachable(target, through)) return true;
        }
        return false;
    }
}
