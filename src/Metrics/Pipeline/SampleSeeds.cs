using System.Text;

namespace LvlmEval.Metrics.Pipeline;

/// <summary>Per-sample seeds that depend only on the experiment seed and the (model, dataset, sample) key, so shards and resumed runs draw the same numbers.</summary>
public static class SampleSeeds
{
    /// <summary>A non-negative seed from the experiment seed and the key (FNV-1a over UTF-8).</summary>
    public static int For(int experimentSeed, string model, string dataset, string sampleId)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes($"{experimentSeed}\u001f{model}\u001f{dataset}\u001f{sampleId}"))
        {
            hash ^= b;
            hash *= 16777619;
        }
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>
    /// A seed shared by every model for one (dataset, sample): draws that models are compared on sample by sample (the
    /// reliance condition's other image) must be the same draw for each model.
    /// </summary>
    public static int ForEveryModel(int experimentSeed, string dataset, string sampleId) =>
        For(experimentSeed, "\u001e every model", dataset, sampleId);
}
