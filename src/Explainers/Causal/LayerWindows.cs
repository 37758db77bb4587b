namespace LvlmEval.Explainers.Causal;

/// <summary>
/// Windows of decoder layers centred on each layer, clipped at the ends: layer l with width w covers
/// max(0, l − ⌊w/2⌋) … min(L, l + ⌈w/2⌉) − 1, the windows of causal tracing's reference code (rome,
/// <c>trace_important_window</c>) and of attention knockout (Geva et al. 2023).
/// </summary>
public static class LayerWindows
{
    /// <summary>Per layer l = 0 … L − 1, the decoder-layer indices of its window.</summary>
    public static int[][] Around(int layers, int width)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "A layer window needs at least one layer.");
        return Enumerable.Range(0, layers).Select(l =>
        {
            int first = Math.Max(0, l - width / 2), end = Math.Min(layers, l + (width + 1) / 2);
            return Enumerable.Range(first, end - first).ToArray();
        }).ToArray();
    }

    /// <summary>Layer l's relative depth l / (L − 1) (0 for a one-layer model).</summary>
    public static double Depth(int layer, int layers) => layers > 1 ? (double)layer / (layers - 1) : 0;
}
