using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// Pieces of one decoder layer from a trace's residual stream, value vectors and per-head attention outputs: each
/// head's output α·v·W_O, each key's share v·W_O, and the gradient of a logit-lens logit at the layer's attention row (a small local graph instead of a
/// backward through the whole model: row p of layer l's attention reaches the layer-l lens logit at p only through
/// position p's attention output and MLP).
/// </summary>
internal sealed class LayerInternals
{
    private readonly LlavaModel _model;
    private readonly Trace _trace;

    public LayerInternals(LlavaModel model, Trace trace)
    {
        if (trace.LanguageHiddenStates.Count == 0 || trace.LanguageAttentions.Count == 0 || trace.LanguageValues.Count == 0)
            throw new InvalidOperationException("Layer internals need a trace with language attentions, hidden states and values (TraceOptions.LanguageValues).");
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

    /// <summary>What a trace needs for layer internals.</summary>
    public static TraceOptions Needs => new() { LanguageAttentions = true, LanguageHiddenStates = true, LanguageValues = true };

    /// <summary>Value vectors of layer <paramref name="layer"/> for batch item 0, [KV, S, head_dim] flattened (as the forward computed them).</summary>
    public ReadOnlySpan<float> Values(int layer) => _trace.LanguageValues[layer].Detach().Data[..(KeyValueHeads * Sequence * HeadDim)];

    /// <summary>The residual stream entering layer <paramref name="layer"/> at <paramref name="position"/> (batch item 0), length D.</summary>
    public float[] ResidualIn(int layer, int position) => Residual(layer, position).ToArray();

    /// <summary>The residual stream entering layer <paramref name="layer"/> at <paramref name="position"/>, read in place.</summary>
    public ReadOnlySpan<float> Residual(int layer, int position) =>
        _trace.LanguageHiddenStates[layer].Detach().Data.Slice(position * Hidden, Hidden);

    /// <summary>Attention probabilities of layer <paramref name="layer"/>, head <paramref name="head"/>, query <paramref name="position"/>, keys 0 … position.</summary>
    public ReadOnlySpan<float> AttentionRow(int layer, int head, int position) =>
        _trace.LanguageAttentions[layer].Detach().Data.Slice((head * Sequence + position) * Sequence, position + 1);

    /// <summary>Value vector of key <paramref name="key"/> for query head <paramref name="head"/>.</summary>
    public ReadOnlySpan<float> Value(int layer, int head, int key) =>
        Values(layer).Slice((KeyValueHead(head) * Sequence + key) * HeadDim, HeadDim);

    /// <summary>
    /// Each head's output W_O^h Σ_j α_hj v_j at each of <paramref name="positions"/>, as [positions × H, D] (row i·H + h;
    /// the output bias, shared by all heads, is left out): the forward's per-head attention outputs, each in its own
    /// slice of a block-diagonal row, through W_O in one product for the layer.
    /// </summary>
    public Tensor HeadOutputs(int layer, IReadOnlyList<int> positions)
    {
        using var off = Autograd.Disable();
        var heads = _trace.LanguageHeadOutputs[layer].Detach().Data;
        int count = positions.Count * Heads, width = Heads * HeadDim;
        var blocks = new float[count * width];
        for (int i = 0; i < positions.Count; i++)
            for (int h = 0; h < Heads; h++)
                heads.Slice((h * Sequence + positions[i]) * HeadDim, HeadDim).CopyTo(blocks.AsSpan((i * Heads + h) * width + h * HeadDim, HeadDim));
        return Ops.Linear(new Tensor(blocks, count, width), _model.Language.Layers[layer].Attention.OutputProjection.Weight);
    }

    /// <summary>
    /// Head <paramref name="head"/>'s projection of the value vectors of keys 0 … keys − 1, v_j·W_O^h, as [keys, D]: key
    /// j's share of the head's output at any query is its attention weight times row j.
    /// </summary>
    public Tensor ValueOutputs(int layer, int head, int keys)
    {
        using var off = Autograd.Disable();
        var values = new Tensor(Values(layer).Slice(KeyValueHead(head) * Sequence * HeadDim, keys * HeadDim).ToArray(), keys, HeadDim);
        // Head h's columns of W_O [D, H·head_dim] as a [D, head_dim] weight.
        var output = _model.Language.Layers[layer].Attention.OutputProjection.Weight.Widen().Data;
        int width = Heads * HeadDim;
        var columns = new float[Hidden * HeadDim];
        for (int o = 0; o < Hidden; o++) output.Slice(o * width + head * HeadDim, HeadDim).CopyTo(columns.AsSpan(o * HeadDim, HeadDim));
        return Ops.Linear(values, new Tensor(columns, Hidden, HeadDim));
    }

    /// <summary>
    /// ∂ lens-logit / ∂ attention: the gradient of the logit of <paramref name="token"/> read by the logit lens at the output
    /// of layer <paramref name="layer"/>, position <paramref name="position"/>, with respect to that layer's attention
    /// probabilities of query <paramref name="position"/>; [H, position + 1]. <paramref name="normTwice"/> applies the final
    /// norm twice, as DEX-AR's reference wrapper does at the last layer (it normalises Hugging Face's already-normed last state).
    /// </summary>
    public float[] LensGradientAtAttentionRow(int layer, int position, int token, bool normTwice = false)
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
        var head = _model.Language.LmHead.RowsAsTensor(token, 1);
        var normed = _model.Language.FinalNorm.Forward(output);
        if (normTwice) normed = _model.Language.FinalNorm.Forward(normed);
        var logit = Ops.Sum(Ops.Linear(normed, head));
        logit.Backward();
        return attention.Grad!.ToArray();
    }
}
