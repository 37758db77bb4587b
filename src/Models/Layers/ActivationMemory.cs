using LvlmEval.Tensors;

namespace LvlmEval.Models.Layers;

/// <summary>
/// Keeps a long forward's peak memory near weights plus one layer's activations. Large activations come from the
/// tensor buffer pool and return to it only after a full collection finds them dead; one after each layer of a long
/// sequence hands the layer's dead activations to the next layer. It costs about 2 ms: the heap holds few objects
/// beyond reference-free float arrays. A gradient trace skips it, since everything it computes stays alive until its backward.
/// </summary>
internal static class ActivationMemory
{
    private const long MinimumActivationFloats = 1L << 18;

    /// <summary>Collects when one layer's hidden state [B, S, D] holds at least a megabyte and no gradient graph is being recorded.</summary>
    public static void AfterLayer(long hiddenFloats)
    {
        if (hiddenFloats >= MinimumActivationFloats && !Autograd.IsEnabled) TensorMemory.Collect();
    }
}
