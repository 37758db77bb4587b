using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Causal;

/// <summary>
/// One corrupted version of the input: pixels [1, 3, H, W] and, for embedding noise, the merged embeddings [1, S, D]
/// that replace the clean ones at <see cref="Positions"/> (null for pixel corruptions such as blur).
/// </summary>
public sealed record CorruptedInput(Tensor Pixels, Tensor? Embeddings, int[] Positions);

/// <summary>
/// Probabilities of the answer tokens in causal tracing: clean, corrupted, and corrupted with the clean hidden states
/// restored at each (layer window, position group), averaged over the corrupted versions. Restored[w][g][t].
/// </summary>
public sealed record TracingTable(double[] Clean, double[] Corrupted, double[][][] Restored)
{
    /// <summary>Probability of the whole answer (product over its tokens).</summary>
    public static double Answer(double[] tokens)
    {
        double p = 1;
        foreach (double v in tokens) p *= v;
        return p;
    }
}

/// <summary>
/// Activation patching as in causal tracing (Meng, Bau, Andonian &amp; Belinkov, NeurIPS 2022, "Locating and editing
/// factual associations in GPT"): run the corrupted input, restore the clean run's residual stream at a window of
/// layers and a group of positions, read the answer tokens' probabilities. The restored runs are batched: each batch
/// item carries its own restore hooks (<see cref="PatchHook"/> limited to that item), all share the corruption.
/// </summary>
public static class ActivationPatching
{
    /// <summary>
    /// Runs every (corruption, window, group) and the corrupted baselines. <paramref name="windows"/> lists, per window,
    /// the hidden-state indices restored (k = output of decoder layer k − 1); <paramref name="clean"/> must hold the clean
    /// run's hidden states (batch of one). <paramref name="countForwards"/> receives the images of every batch.
    /// </summary>
    public static TracingTable Run(LlavaModel model, PreparedInput prepared, int[] answerIds, Trace clean,
        IReadOnlyList<CorruptedInput> corruptions, IReadOnlyList<int[]> windows, IReadOnlyList<PositionGroup> groups,
        int batchSize, Action<int>? countForwards = null)
    {
        if (clean.LanguageHiddenStates.Count == 0) throw new ArgumentException("The clean trace must keep the hidden states.", nameof(clean));
        if (corruptions.Count == 0) throw new ArgumentException("At least one corrupted input is needed.", nameof(corruptions));
        int answer = answerIds.Length, promptLength = prepared.TokenIds.Length;
        // Item i of corruption c: i = 0 is the corrupted run, i = 1 + w·G + g restores group g in window w.
        int perCorruption = 1 + windows.Count * groups.Count, total = corruptions.Count * perCorruption;
        var probabilities = new double[total][];
        using var noGrad = Autograd.Disable();
        for (int start = 0; start < total; start += batchSize)
        {
            int n = Math.Min(batchSize, total - start);
            var hooks = new List<IHiddenStateHook>();
            var pixels = new Tensor[n];
            for (int b = 0; b < n; b++)
            {
                int item = start + b, c = item / perCorruption, within = item % perCorruption;
                pixels[b] = corruptions[c].Pixels;
                if (within == 0) continue;
                var group = groups[(within - 1) % groups.Count];
                foreach (int layer in windows[(within - 1) / groups.Count])
                    hooks.Add(new PatchHook(layer, clean.LanguageHiddenStates[layer], group.Positions, [b]));
            }
            // The corruption of the embeddings comes first, so a restore of hidden state 0 undoes it.
            for (int c = 0; c < corruptions.Count; c++)
            {
                var items = Enumerable.Range(0, n).Where(b => (start + b) / perCorruption == c).ToArray();
                if (items.Length > 0 && corruptions[c].Embeddings is { } embeddings)
                    hooks.Insert(0, new PatchHook(0, embeddings, corruptions[c].Positions, items));
            }
            var batch = prepared with { Pixels = Ops.Concat(pixels, 0) };
            var trace = model.Forward(batch, answerIds, new TraceOptions { Hooks = hooks, LogitsFrom = promptLength - 1 });
            countForwards?.Invoke(n);
            for (int b = 0; b < n; b++) probabilities[start + b] = AnswerProbabilities(trace, b);
        }
        var cleanProbabilities = AnswerProbabilities(clean, 0);
        var corrupted = Mean(Enumerable.Range(0, corruptions.Count).Select(c => probabilities[c * perCorruption]), answer);
        var restored = new double[windows.Count][][];
        for (int w = 0; w < windows.Count; w++)
        {
            restored[w] = new double[groups.Count][];
            for (int g = 0; g < groups.Count; g++)
                restored[w][g] = Mean(Enumerable.Range(0, corruptions.Count).Select(c => probabilities[c * perCorruption + 1 + w * groups.Count + g]), answer);
        }
        return new TracingTable(cleanProbabilities, corrupted, restored);
    }

    // p(answer token t) for t = 0 … T − 1 of image <paramref name="batch"/>, from the model's one answer scoring.
    private static double[] AnswerProbabilities(Trace trace, int batch) => Array.ConvertAll(trace.AnswerTokenLogProbabilities(batch), Math.Exp);

    private static double[] Mean(IEnumerable<double[]> rows, int length)
    {
        var mean = new double[length];
        int count = 0;
        foreach (var row in rows)
        {
            for (int t = 0; t < length; t++) mean[t] += row[t];
            count++;
        }
        for (int t = 0; t < length; t++) mean[t] /= count;
        return mean;
    }
}
