using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Editing;

/// <summary>
/// ProjectAway (Jiang et al. 2024, "Interpreting and Editing Vision-Language Representations to Mitigate
/// Hallucinations", §5): at hidden-state index <see cref="Layer"/>, for each object direction t in turn, every image
/// token's hidden state h with a positive projection p = h·t / t·t loses <c>weight · p · t</c>. Tokens whose projection
/// is zero or negative are left as they are, as in the authors' <c>subtract_projection</c>; so with weight 1 each
/// edited token ends orthogonal to t and no image token keeps a positive component along it. Directions are applied one
/// after the other (the reference's <c>subtract_projections</c>), so with several objects the order matters when they
/// are not orthogonal. Built from tensor ops, so gradients flow through the edit.
/// </summary>
public sealed class ProjectAwayHook : IHiddenStateHook
{
    private readonly IReadOnlyList<float[]> _directions;
    private readonly IReadOnlyList<int> _positions;
    private readonly float _weight;

    /// <summary>Edits hidden-state index <paramref name="layer"/> at the absolute <paramref name="positions"/> (the image tokens).</summary>
    public ProjectAwayHook(int layer, IReadOnlyList<float[]> directions, IReadOnlyList<int> positions, float weight)
    {
        if (directions.Count == 0) throw new ArgumentException("ProjectAway needs at least one direction.", nameof(directions));
        int d = directions[0].Length;
        foreach (var t in directions)
        {
            if (t.Length != d) throw new ArgumentException("ProjectAway directions must all have the hidden size.", nameof(directions));
            if (Dot(t, t) == 0) throw new ArgumentException("A ProjectAway direction is the zero vector; it has no direction to remove.", nameof(directions));
        }
        Layer = layer;
        _directions = directions;
        _positions = positions;
        _weight = weight;
    }

    /// <inheritdoc/>
    public int Layer { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden, int firstPosition)
    {
        int s = hidden.Dim(1), d = hidden.Dim(2);
        // Image tokens only exist in the prompt chunk; generated tokens pass untouched.
        var rows = new Tensor(s, 1);
        bool any = false;
        foreach (int p in _positions)
            if (p >= firstPosition && p < firstPosition + s) { rows.Data[p - firstPosition] = 1f; any = true; }
        if (!any) return hidden;
        if (_directions[0].Length != d) throw new ArgumentException($"ProjectAway directions have {_directions[0].Length} elements, hidden size is {d}.");
        var h = hidden;
        foreach (var t in _directions)
        {
            var direction = new Tensor((float[])t.Clone(), 1, d);
            float norm2 = Dot(t, t);
            // p = h·t / t·t per token, kept only where positive and only at image tokens.
            var projection = Ops.Mul(Ops.Relu(Ops.Div(Ops.Linear(h, direction), norm2)), rows);
            h = Ops.Sub(h, Ops.Mul(Ops.Mul(projection, _weight), direction));
        }
        return h;
    }

    private static float Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return (float)sum;
    }
}
