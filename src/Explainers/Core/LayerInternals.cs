using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// Recomputes pieces of one decoder layer from a trace's residual stream: the value vectors, each head's output
/// α·v·W_O, and the gradient of a logit-lens logit at the layer's attention row (a small local graph instead of a
/// backward through the whole model: row p of layer l's attention reaches the layer-l lens logit at p only through
/// position p's attention output and MLP).
/// </summary>
internal sealed class LayerInternals
{
    private readonly LlavaModel _model;
    private readonly Trace _trace;
    private readonly Dictionary<int, float[]> _values = [];

    public LayerInternals(LlavaModel model, Trace trace)
    {
        if (trace.LanguageHiddenStates.Count == 0 || trace.LanguageAttentions.Count == 0)
            throw new InvalidOperationException("Layer internals need a trace with language attentions and hidden states.");
        _model = model;
        _trace = trace;
        var attention = model.Language.Layers[0].Attention;
        Heads = attention.Heads;
        KeyValueHeads = attention.KeyValueHeads;
        HeadDim = attention.HeadDim;
        Hidden = model.Config.Text.HiddenSize;
        Sequence = trace.TokenIds.Length;
    }

    public int Heads { get; }
    public int KeyValueHeads { get; }
    public int HeadDim { get; }
    public int Hidden { get; }
    public int Sequence { get; }

    /// <summary>Query head <paramref name="head"/>'s key/value head.</summary>
    public int KeyValueHead(int head) => head / (Heads / KeyValueHeads);

    /// <summary>Value vectors of layer <paramref name="layer"/> for batch item 0, [KV, S, head_dim] flattened (computed once per layer).</summary>
    public float[] Values(int layer)
    {
        if (_values.TryGetValue(layer, out var cached)) return cached;
        using var off = Autograd.Disable();
        var decoder = _model.Language.Layers[layer];
        var input = Ops.Narrow(_trace.LanguageHiddenStates[layer].Detach(), 0, 0, 1);
        var values = decoder.Attention.Values(decoder.InputNorm.Forward(input)).ToArray();
        _values[layer] = values;
        return values;
    }

    /// <summary>The residual stream entering layer <paramref name="layer"/> at <paramref name="position"/> (batch item 0), length D.</summary>
    public float[] ResidualIn(int layer, int position) =>
        _trace.LanguageHiddenStates[layer].Detach().Data.Slice(position * Hidden, Hidden).ToArray();

    /// <summary>Attention probabilities of layer <paramref name="layer"/>, head <paramref name="head"/>, query <paramref name="position"/>, keys 0 … position.</summary>
    public ReadOnlySpan<float> AttentionRow(int layer, int head, int position) =>
        _trace.LanguageAttentions[layer].Detach().Data.Slice((head * Sequence + position) * Sequence, position + 1);

    /// <summary>Value vector of key <paramref name="key"/> for query head <paramref name="head"/>.</summary>
    public ReadOnlySpan<float> Value(int layer, int head, int key) =>
        Values(layer).AsSpan((KeyValueHead(head) * Sequence + key) * HeadDim, HeadDim);

    /// <summary>
    /// Each head's output at <paramref name="position"/>, W_O^h Σ_j α_hj v_j, as [H, D] (the output bias, shared by all
    /// heads, is left out).
    /// </summary>
    public float[] HeadOutputs(int layer, int position)
    {
        using var off = Autograd.Disable();
        var blocks = new float[Heads * Heads * HeadDim];
        for (int h = 0; h < Heads; h++)
        {
            var row = AttentionRow(layer, h, position);
            var context = blocks.AsSpan((h * Heads + h) * HeadDim, HeadDim);
            for (int j = 0; j < row.Length; j++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(Value(layer, h, j), row[j], context, context);
        }
        var weight = _model.Language.Layers[layer].Attention.OutputProjection.Weight;
        return Ops.Linear(new Tensor(blocks, Heads, Heads * HeadDim), weight).ToArray();
    }

    /// <summary>
    /// Per key j ≤ <paramref name="position"/>, head <paramref name="head"/>'s share α_j·v_j·W_O^h of its output, as [position + 1, D].
    /// </summary>
    public float[] PositionOutputs(int layer, int head, int position)
    {
        using var off = Autograd.Disable();
        int keys = position + 1;
        var scaled = new float[keys * HeadDim];
        var row = AttentionRow(layer, head, position);
        for (int j = 0; j < keys; j++)
            System.Numerics.Tensors.TensorPrimitives.Multiply(Value(layer, head, j), row[j], scaled.AsSpan(j * HeadDim, HeadDim));
        var weight = _model.Language.Layers[layer].Attention.OutputProjection.Weight;
        var block = Ops.Narrow(Ops.Transpose(weight, 0, 1), 0, head * HeadDim, HeadDim);
        return Ops.MatMul(new Tensor(scaled, keys, HeadDim), block).ToArray();
    }

    /// <summary>
    /// ∂ lens-logit / ∂ attention: the gradient of the logit of <paramref name="token"/> read by the logit lens at the output
    /// of layer <paramref name="layer"/>, position <paramref name="position"/>, with respect to that layer's attention
    /// probabilities of query <paramref name="position"/>; [H, position + 1].
    /// </summary>
    public float[] LensGradientAtAttentionRow(int layer, int position, int token)
    {
        int keys = position + 1;
        var decoder = _model.Language.Layers[layer];
        var rows = new float[Heads * keys];
        var expanded = new float[Heads * keys * HeadDim];
        for (int h = 0; h < Heads; h++)
        {
            AttentionRow(layer, h, position).CopyTo(rows.AsSpan(h * keys, keys));
            for (int j = 0; j < keys; j++) Value(layer, h, j).CopyTo(expanded.AsSpan((h * keys + j) * HeadDim, HeadDim));
        }
        using var on = Autograd.Enable();
        var attention = new Tensor(rows, Heads, 1, keys) { RequiresGrad = true };
        var context = Ops.Reshape(Ops.MatMul(attention, new Tensor(expanded, Heads, keys, HeadDim)), 1, Heads * HeadDim);
        var residual = new Tensor(ResidualIn(layer, position), 1, Hidden);
        var mid = Ops.Add(residual, decoder.Attention.OutputProjection.Forward(context));
        var output = Ops.Add(mid, decoder.Mlp.Forward(decoder.PostAttentionNorm.Forward(mid)));
        var head = Ops.Narrow(_model.Language.LmHead, 0, token, 1);
        var logit = Ops.Sum(Ops.Linear(_model.Language.FinalNorm.Forward(output), head));
        logit.Backward();
        return attention.Grad!.ToArray();
    }
}
