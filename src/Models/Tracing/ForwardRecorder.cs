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

    public Tensor Retain(Tensor t) => Options.Gradients && t.RequiresGrad ? t.RetainGrad() : t;
}
