namespace LvlmEval.Models.Layers;

/// <summary>
/// Keeps a long forward's peak memory near weights plus live activations. Large activations live on the large-object
/// heap, which the GC collects only in gen-2 collections whose budget grows with the (gigabytes of) live weights, so a
/// 761-token prefill could otherwise pile up several times the model's size in dead activations. A non-compacting gen-2
/// collection after each layer of a long sequence costs milliseconds: weights are reference-free float arrays.
/// </summary>
internal static class ActivationMemory
{
    private const long MinimumActivationFloats = 1L << 18;

    /// <summary>Collects when one layer's hidden state [B, S, D] holds at least a megabyte.</summary>
    public static void AfterLayer(long hiddenFloats)
    {
        if (hiddenFloats >= MinimumActivationFloats) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }
}
