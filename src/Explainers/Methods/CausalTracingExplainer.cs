using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Causal;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Causal tracing (Meng, Bau, Andonian &amp; Belinkov, NeurIPS 2022; applied to LLaVA by Yu &amp; Ananiadou 2024): corrupt
/// the input — Gaussian noise of <c>noise_scale</c> × the embeddings' standard deviation added to the image tokens' (or
/// the question words') merged embeddings, or a blurred image — then restore the clean run's hidden states at one window
/// of layers and one position group (an image-grid cell of <c>cell</c> × <c>cell</c> patches or a word of the text after
/// the image) and measure the indirect effect IE = p(answer | corrupted, restored) − p(answer | corrupted). Layer l is
/// the output of decoder layer l; a window of w layers around l covers max(0, l − ⌊w/2⌋) … min(L, l + ⌈w/2⌉) − 1 as in
/// the reference code (rome, <c>trace_important_window</c>). The token map is the IE of answer token t per cell in the
/// window where an image cell's IE is largest; the sequence map the same for the whole answer's probability. Every
/// (window, group) IE of the whole answer is an <see cref="EffectPoint"/> <c>indirect_effect:{group}</c> at step l, and
/// <c>total_effect</c> = p(clean) − p(corrupted). The clean run is the shared trace; the corrupted runs go in batches.
/// </summary>
public sealed class CausalTracingExplainer : IExplainer
{
    private readonly string _corrupt, _imageCorruption;
    private readonly double _noiseScale, _blurSigma;
    private readonly int _cell, _window, _batchSize, _noiseSamples;

    /// <summary>
    /// Parameters: <c>corrupt</c> image (text), <c>image_corruption</c> noise (blur), <c>noise_scale</c> 3 (Meng et al.'s
    /// multiple of the embedding standard deviation), <c>noise_samples</c> 1 (noise draws averaged; the reference uses
    /// 10), <c>blur_sigma</c> 5 px, <c>cell</c> 2 patches, <c>window</c> 1 layer, <c>batch_size</c> 16.
    /// </summary>
    public CausalTracingExplainer(ParameterSet parameters)
    {
        _corrupt = parameters.Choice("corrupt", "image", "image", "text");
        _imageCorruption = parameters.Choice("image_corruption", "noise", "noise", "blur");
        _noiseScale = parameters.Double("noise_scale", 3, 0, 1000);
        _noiseSamples = parameters.Int("noise_samples", 1, 1, 1000);
        _blurSigma = parameters.Double("blur_sigma", 5, 0.1, 1000);
        _cell = parameters.Int("cell", 2, 1, 1000);
        _window = parameters.Int("window", 1, 1, 1000);
        _batchSize = parameters.Int("batch_size", 16, 1, 4096);
    }

    /// <summary>Prefix of the effect rows: <c>indirect_effect:{group label}</c>.</summary>
    public const string IndirectEffect = "indirect_effect:";

    /// <summary>The effect row p(answer | clean) − p(answer | corrupted), at step 0.</summary>
    public const string TotalEffect = "total_effect";

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("causal-tracing", "indirect effect of restoring clean hidden states per layer window and image cell or word after corrupting the input",
            "Meng, Bau, Andonian & Belinkov, NeurIPS 2022 (causal tracing)", "1 shared forward + noise_samples × (1 + layers × groups) forwards, batched", Granularity.Token | Granularity.Sequence),
        p => new CausalTracingExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageHiddenStates = true };

    /// <summary>The layer windows: per layer l, the hidden-state indices restored (k = output of decoder layer k − 1).</summary>
    public static int[][] Windows(int layers, int window) =>
        LayerWindows.Around(layers, window).Select(w => w.Select(layer => layer + 1).ToArray()).ToArray();

    /// <summary>The position groups traced: image cells, then words of the text after the image.</summary>
    public List<PositionGroup> Groups(ExplainRequest request) =>
        [.. PositionGroups.Cells(request.Prepared, _cell), .. PositionGroups.Words(request.Model, request.Prepared)];

    /// <summary>
    /// The corrupted inputs (seeded by the request): noise replaces the clean merged embeddings at the corrupted positions
    /// by clean + ε, ε ~ N(0, (noise_scale · σ)²) with σ the standard deviation of those clean embeddings; blur replaces the pixels.
    /// </summary>
    public IReadOnlyList<CorruptedInput> Corruptions(ExplainRequest request, Trace clean)
    {
        var prepared = request.Prepared;
        if (_corrupt == "image" && _imageCorruption == "blur")
            return [new CorruptedInput(PixelBaselines.Baseline(request.Model.ImageProcessor?.Config, prepared.Pixels, "blur", _blurSigma), null, [])];
        var positions = _corrupt == "image"
            ? prepared.ImageTokenPositions.ToArray()
            : PositionGroups.Words(request.Model, prepared).SelectMany(g => g.Positions).Where(p => p < prepared.TokenIds.Length - 1).ToArray();
        if (positions.Length == 0) throw new InvalidOperationException("causal-tracing: the prompt has no question words after the image to corrupt.");
        var embeddings = clean.LanguageHiddenStates[0].Detach();
        int d = embeddings.Dim(2);
        double sum = 0, squares = 0;
        foreach (int p in positions)
            foreach (float v in embeddings.Data.Slice(p * d, d)) { sum += v; squares += (double)v * v; }
        double count = (double)positions.Length * d, mean = sum / count;
        float sigma = (float)(_noiseScale * Math.Sqrt(Math.Max(0, squares / count - mean * mean)));
        var random = new Random(request.Seed);
        var result = new List<CorruptedInput>();
        for (int s = 0; s < _noiseSamples; s++)
        {
            var noised = embeddings.Clone();
            foreach (int p in positions)
            {
                var row = noised.Data.Slice(p * d, d);
                var noise = Tensor.Randn(random, d).Data;
                for (int i = 0; i < d; i++) row[i] += sigma * noise[i];
            }
            result.Add(new CorruptedInput(prepared.Pixels, noised, positions));
        }
        return result;
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var model = context.Model;
        var clean = context.Trace(TraceNeeds);
        var groups = Groups(request);
        int layers = model.Language.NumLayers;
        var windows = Windows(layers, _window);
        var table = ActivationPatching.Run(model, context.Prepared, context.AnswerIds, clean, Corruptions(request, clean), windows, groups,
            _batchSize, n => context.CountForwards(n));

        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < context.AnswerLength; t++)
        {
            int token = t;
            var (map, relevance) = MapsAt(context, groups, table, w => table.Restored[w].Select(g => g[token] - table.Corrupted[token]).ToArray(), context.PredictingPosition(t) + 1);
            tokens.Add(new TokenExplanation(t, context.AnswerIds[t], map, relevance));
        }
        double corrupted = TracingTable.Answer(table.Corrupted);
        var (sequence, _) = MapsAt(context, groups, table, w => table.Restored[w].Select(g => TracingTable.Answer(g) - corrupted).ToArray(), context.AnswerStart);
        var effects = new List<EffectPoint> { new(TotalEffect, 0, 0, TracingTable.Answer(table.Clean) - corrupted) };
        for (int w = 0; w < windows.Length; w++)
            for (int g = 0; g < groups.Count; g++)
                effects.Add(new EffectPoint(IndirectEffect + groups[g].Label, w, LayerWindows.Depth(w, layers), TracingTable.Answer(table.Restored[w][g]) - corrupted));
        return context.Finish(Name, tokens, sequence) with { Effects = effects };
    }

    // The patch map and position relevance of the window whose best image cell has the largest effect.
    private static (PatchMap Map, float[] Relevance) MapsAt(ExplainContext context, List<PositionGroup> groups, TracingTable table,
        Func<int, double[]> effectsOfWindow, int positions)
    {
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int w = 0; w < table.Restored.Length; w++)
        {
            var effects = effectsOfWindow(w);
            for (int g = 0; g < groups.Count; g++)
                if (groups[g].IsImage && effects[g] > bestValue) (best, bestValue) = (w, effects[g]);
        }
        var chosen = effectsOfWindow(best);
        var relevance = new float[positions];
        for (int g = 0; g < groups.Count; g++)
            foreach (int p in groups[g].Positions)
                if (p < positions) relevance[p] = (float)chosen[g];
        return (context.Map(context.PatchValues(relevance)), relevance);
    }
}
