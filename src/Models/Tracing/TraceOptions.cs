using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>What a traced forward records. Everything is off by default, and gradient mode costs nothing unless asked for.</summary>
public sealed record TraceOptions
{
    /// <summary>Keep every decoder layer's attention probabilities [B, H, S, S].</summary>
    public bool LanguageAttentions { get; init; }

    /// <summary>Keep every run vision layer's attention probabilities [B, H, T, T].</summary>
    public bool VisionAttentions { get; init; }

    /// <summary>Keep the residual stream [B, S, D]: embeddings and each decoder layer's output (before the final norm).</summary>
    public bool LanguageHiddenStates { get; init; }

    /// <summary>
    /// Keep each decoder layer's value vectors [B, KV, S, head_dim] and per-head attention outputs Σ_j α_j v_j
    /// [B, H, S, head_dim] (before the output projection): the forward computes both anyway, and per-head methods read
    /// them instead of recomputing.
    /// </summary>
    public bool LanguageValues { get; init; }

    /// <summary>Keep the vision tower's hidden states [B, T, Dv]: embeddings and each run layer's output.</summary>
    public bool VisionHiddenStates { get; init; }

    /// <summary>Record the autograd graph so <see cref="Trace.Backward"/> can reach attention maps, hidden states, image features and pixels.</summary>
    public bool Gradients { get; init; }

    /// <summary>With <see cref="Gradients"/>: also differentiate through the vision tower to pixels (off: gradients stop at the merged embeddings).</summary>
    public bool GradientsToPixels { get; init; } = true;

    /// <summary>
    /// With <see cref="Gradients"/>: keep only each decoder layer's input (and the attention maps asked for) and re-run a
    /// layer during the backward to differentiate through it (<see cref="Ops.Recompute"/>), instead of keeping every
    /// layer's activations. Null (the default) decides by memory: on when the full trace's estimated peak exceeds the
    /// memory available. Gradients reach attention maps, hidden states, image features and pixels either way.
    /// </summary>
    public bool? RecomputeLayers { get; init; }

    /// <summary>Residual-stream edits applied during the forward.</summary>
    public IReadOnlyList<IHiddenStateHook> Hooks { get; init; } = [];

    /// <summary>Attention edges removed during the forward (attention knockout).</summary>
    public IReadOnlyList<AttentionBlock> AttentionBlocks { get; init; } = [];

    /// <summary>Whether the forward is edited (hooks or attention blocks): such a trace describes another computation and is never shared.</summary>
    public bool HasEdits => Hooks.Count > 0 || AttentionBlocks.Count > 0;

    /// <summary>First position whose logits are computed (earlier rows are skipped to save the output-head cost).</summary>
    public int LogitsFrom { get; init; }

    /// <summary>No capture, no gradients: a plain forward.</summary>
    public static TraceOptions Plain { get; } = new();

    /// <summary>Every attention map and hidden state, with gradients.</summary>
    public static TraceOptions Everything { get; } = new()
    {
        LanguageAttentions = true, VisionAttentions = true, LanguageHiddenStates = true, VisionHiddenStates = true, LanguageValues = true,
        Gradients = true,
    };
}
