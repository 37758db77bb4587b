using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>
/// Edits the language model's residual stream during a forward pass. <see cref="Layer"/> indexes hidden states as
/// transformers does: 0 is the merged input embeddings, k is the output of decoder layer k. Edits are built from
/// tensor ops, so gradients flow through them.
/// </summary>
public interface IHiddenStateHook
{
    /// <summary>The hidden-state index edited.</summary>
    int Layer { get; }

    /// <summary>Returns the edited hidden states [B, S, D] (<paramref name="hidden"/> must not be modified in place).</summary>
    Tensor Apply(Tensor hidden);
}
