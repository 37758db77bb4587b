using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// Keeps the residual stream of one hidden-state index as the forward passes it (an identity hook), so a forward keeps
/// only the decoder layers asked for instead of every hidden state.
/// </summary>
internal sealed class LayerCapture(int hiddenStateIndex) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = hiddenStateIndex;

    /// <summary>The captured hidden states [B, S, D] (null before the forward).</summary>
    public Tensor? Hidden { get; private set; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden, int firstPosition)
    {
        Hidden = hidden;
        return hidden;
    }
}
