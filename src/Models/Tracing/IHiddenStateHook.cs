using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>
/// Edits the language model's residual stream during a forward pass or generation. <see cref="Layer"/> indexes hidden
/// states as transformers does: 0 is the merged input embeddings, k is the output of decoder layer k. Edits are built
/// from tensor ops, so gradients flow through them. During generation a call sees one chunk of positions (the prompt,
/// then one new token per step), so positions are absolute.
/// </summary>
public interface IHiddenStateHook
{
    /// <summary>The hidden-state index edited.</summary>
    int Layer { get; }

    /// <summary>
    /// Returns the edited hidden states [B, S, D] of absolute positions <paramref name="firstPosition"/> ..
    /// <paramref name="firstPosition"/> + S − 1 (<paramref name="hidden"/> must not be modified in place).
    /// </summary>
    Tensor Apply(Tensor hidden, int firstPosition);
}
