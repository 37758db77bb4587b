using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>Collects what <see cref="TraceOptions"/> asks for as the forward runs and applies hidden-state hooks.</summary>
internal sealed class ForwardRecorder(TraceOptions options)
{
    // Plain options record nothing, so this one instance is never written and serves every thread.
    public static readonly ForwardRecorder None = new(TraceOptions.Plain);

    public TraceOptions Options { get; } = options;

    /// <summary>Whether decoder layers are recorded as recomputed blocks (decided once per forward by the model).</summary>
    public bool RecomputesLayers { get; init; }
    public List<Tensor> LanguageAttentions { get; } = [];
    public List<Tensor> VisionAttentions { get; } = [];
    public List<Tensor> LanguageHiddenStates { get; } = [];
    public List<Tensor> VisionHiddenStates { get; } = [];
    public List<Tensor> LanguageValues { get; } = [];
    public List<Tensor> LanguageHeadOutputs { get; } = [];

    public void VisionAttention(Tensor probabilities)
    {
        if (Options.VisionAttentions) VisionAttentions.Add(Retain(probabilities));
    }

    public void VisionHidden(Tensor hidden)
    {
        if (Options.VisionHiddenStates) VisionHiddenStates.Add(Retain(hidden));
    }

    public void LanguageAttention(Tensor probabilities)
    {
        if (Options.LanguageAttentions) LanguageAttentions.Add(Retain(probabilities));
    }

    public void LanguageValuesAndHeads(Tensor values, Tensor headOutputs)
    {
        if (!Options.LanguageValues) return;
        LanguageValues.Add(values);
        LanguageHeadOutputs.Add(headOutputs);
    }

    /// <summary>Applies the hooks for hidden-state <paramref name="index"/> (a chunk starting at <paramref name="firstPosition"/>), records the result, returns it.</summary>
    public Tensor LanguageHidden(int index, Tensor hidden, int firstPosition)
    {
        foreach (var hook in Options.Hooks)
            if (hook.Layer == index) hidden = hook.Apply(hidden, firstPosition);
        if (Options.LanguageHiddenStates) LanguageHiddenStates.Add(Retain(hidden));
        return hidden;
    }

    /// <summary>
    /// The additive mask [B, 1, Sq, Sk] of <see cref="TraceOptions.AttentionBlocks"/> for decoder layer
    /// <paramref name="layer"/> (−∞ on blocked edges, 0 elsewhere), or null when the layer has none. Queries are the last
    /// Sq of Sk positions (a cache holds the earlier keys).
    /// </summary>
    public Tensor? AttentionMask(int layer, int batch, int queries, int keys)
    {
        Tensor? mask = null;
        int firstQuery = keys - queries;
        foreach (var block in Options.AttentionBlocks)
        {
            if (block.Layer != layer) continue;
            mask ??= new Tensor(batch, 1, queries, keys);
            foreach (int item in block.Items ?? Enumerable.Range(0, batch).ToArray())
            {
                if (item < 0 || item >= batch) throw new ArgumentOutOfRangeException(nameof(layer), item, $"AttentionBlock of layer {layer}: batch item {item} is outside the batch of {batch}.");
                foreach (int q in block.Queries)
                {
                    if (q < firstQuery || q >= keys) continue;
                    var row = mask.Data.Slice((item * queries + q - firstQuery) * keys, keys);
                    foreach (int k in block.Keys)
                        if (k >= 0 && k < keys) row[k] = float.NegativeInfinity;
                    if (!row[..(q + 1)].ContainsAnyExcept(float.NegativeInfinity))
                        throw new ArgumentException($"AttentionBlock of layer {layer} blocks every key that position {q} can attend to.");
                }
            }
        }
        return mask;
    }

    /// <summary>A recorder for re-running a layer in the backward: the same attention edits, nothing recorded.</summary>
    public ForwardRecorder ForReplay() => Options.AttentionBlocks.Count == 0 ? None : new ForwardRecorder(TraceOptions.Plain with { AttentionBlocks = Options.AttentionBlocks });

    public Tensor Retain(Tensor t) => Options.Gradients && t.RequiresGrad ? t.RetainGrad() : t;
}
