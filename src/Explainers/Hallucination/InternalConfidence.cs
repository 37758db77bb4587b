using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Hallucination;

/// <summary>How the tokens of a multi-token object name combine at one image token.</summary>
public enum WordTokenRule
{
    /// <summary>The most probable of the name's tokens (the reference's <c>softmax_probs[class_token_indices].max()</c>).</summary>
    Max,

    /// <summary>The least probable: an image token must carry every token of the name ("yellow star" needs both words at one place).</summary>
    Min,

    /// <summary>The first token only.</summary>
    First,
}

/// <summary>Settings of <see cref="InternalConfidence"/>.</summary>
public sealed record InternalConfidenceOptions
{
    /// <summary>Hidden-state indices read (0 = merged embeddings, k = decoder block k's output); null = all, 0 … depth, as the reference.</summary>
    public int[]? Layers { get; init; }

    /// <summary>Apply the final norm before the output head (the logit lens as this project defines it). The authors' code applies the head to the raw hidden states (false); the last index is the model's output either way, because transformers' last hidden state already went through the norm.</summary>
    public bool FinalNorm { get; init; } = true;

    /// <summary>0: softmax over the whole vocabulary. k &gt; 0: softmax over the k largest logits of each row, 0 elsewhere (the authors' code uses <c>TopKLogitsWarper(50)</c>).</summary>
    public int TopK { get; init; }

    /// <summary>How the name's tokens combine at an image token.</summary>
    public WordTokenRule Tokens { get; init; } = WordTokenRule.Max;
}

/// <summary>One object's internal confidence on one image.</summary>
/// <param name="Value">The maximum over image tokens of <see cref="ImageTokenScores"/>.</param>
/// <param name="ImageTokenScores">Per image token (in sequence order), the max over the layers of the probability, tokens combined by the rule.</param>
/// <param name="Map">The patch tokens' scores on the patch grid: the zero-shot segmentation map.</param>
/// <param name="TokenIds">The object name's token ids.</param>
public sealed record InternalConfidenceResult(double Value, float[] ImageTokenScores, PatchMap Map, int[] TokenIds);

/// <summary>
/// Internal confidence (Jiang et al. 2024, "Interpreting and Editing Vision-Language Representations to Mitigate
/// Hallucinations", §3; nickjiang2378/vl-interp <c>internal_confidence</c>): the logit lens applied to every image token
/// at every chosen layer gives a distribution over the vocabulary; an object's confidence is the largest probability
/// of its name over image tokens and layers. Objects really in the image score high, hallucinated ones low, and the
/// per-patch maximum localises the object without training.
/// </summary>
public static class InternalConfidence
{
    private const int RowBlock = 64;

    /// <summary>The token ids of an object name as the tokenizer encodes the name alone without special tokens (the reference drops Llama's BOS from <c>tokenizer.encode(word)</c>).</summary>
    public static int[] WordTokens(LlavaModel model, string word)
    {
        var tokenizer = model.Tokenizer ?? throw new FileNotFoundException($"{model.Folder}: tokenizer.json is missing; internal confidence needs it to read '{word}'.");
        var ids = tokenizer.Encode(word, addSpecialTokens: false);
        if (ids.Length == 0) throw new ArgumentException($"The object name '{word}' tokenises to nothing.", nameof(word));
        return ids;
    }

    /// <summary>The hidden-state indices <paramref name="options"/> reads on a decoder of <paramref name="depth"/> blocks.</summary>
    public static int[] LayersOf(InternalConfidenceOptions options, int depth)
    {
        var layers = options.Layers ?? Enumerable.Range(0, depth + 1).ToArray();
        foreach (int l in layers)
            if (l < 0 || l > depth) throw new ArgumentOutOfRangeException(nameof(options), l, $"internal-confidence layers are hidden-state indices in 0 … {depth}.");
        return layers;
    }

    /// <summary>Internal confidence of <paramref name="word"/> from a trace over <paramref name="prepared"/> that kept the language hidden states (batch item 0).</summary>
    public static InternalConfidenceResult Compute(LlavaModel model, PreparedInput prepared, Trace trace, string word, InternalConfidenceOptions options) =>
        Compute(model, prepared, trace.LanguageHiddenStates, WordTokens(model, word), options);

    /// <summary>Internal confidence of the name with ids <paramref name="tokens"/> from the hidden states of a forward over <paramref name="prepared"/>.</summary>
    public static InternalConfidenceResult Compute(LlavaModel model, PreparedInput prepared, IReadOnlyList<Tensor> hiddenStates, int[] tokens, InternalConfidenceOptions options)
    {
        var (best, start, n) = Best(model, prepared, hiddenStates, tokens, options);
        int m = tokens.Length;
        var combined = new float[n];
        for (int i = 0; i < n; i++)
        {
            float v = best[i];
            for (int t = 1; t < m && options.Tokens != WordTokenRule.First; t++)
                v = options.Tokens == WordTokenRule.Max ? Math.Max(v, best[t * n + i]) : Math.Min(v, best[t * n + i]);
            combined[i] = v;
        }
        var scores = combined.AsSpan(prepared.ImageTokenStart - start, prepared.ImageTokenCount).ToArray();
        return new InternalConfidenceResult(TensorPrimitives.Max(scores), scores, GridOf(prepared, combined, start), tokens);
    }

    /// <summary>Each token's own map (max over the layers of its probability at each patch), for tokens that are not one name (e.g. the answer's).</summary>
    public static PatchMap[] TokenMaps(LlavaModel model, PreparedInput prepared, IReadOnlyList<Tensor> hiddenStates, int[] tokens, InternalConfidenceOptions options)
    {
        var (best, start, n) = Best(model, prepared, hiddenStates, tokens, options);
        return Enumerable.Range(0, tokens.Length).Select(t => GridOf(prepared, best.AsSpan(t * n, n).ToArray(), start)).ToArray();
    }

    private static PatchMap GridOf(PreparedInput prepared, float[] values, int start) =>
        new(prepared.GridHeight, prepared.GridWidth, values.AsSpan(prepared.PatchTokenStart - start, prepared.GridHeight * prepared.GridWidth).ToArray());

    // best[t · n + i]: the max over the layers of p(tokens[t]) at position start + i, over the image tokens and the
    // patch grid's positions (with SigLIP's "default" selection the grid starts one position before the image tokens,
    // as the logit-lens explainer reads it).
    private static (float[] Best, int Start, int Count) Best(LlavaModel model, PreparedInput prepared, IReadOnlyList<Tensor> hiddenStates, int[] tokens, InternalConfidenceOptions options)
    {
        if (hiddenStates.Count == 0) throw new InvalidOperationException("Internal confidence needs TraceOptions.LanguageHiddenStates.");
        int depth = model.Language.NumLayers;
        var layers = LayersOf(options, depth);
        int patches = prepared.GridHeight * prepared.GridWidth, d = model.Config.Text.HiddenSize, m = tokens.Length;
        int start = Math.Min(prepared.ImageTokenStart, prepared.PatchTokenStart);
        int n = Math.Max(prepared.ImageTokenStart + prepared.ImageTokenCount, prepared.PatchTokenStart + patches) - start;
        var best = new float[m * n];
        using var off = Autograd.Disable();
        foreach (int layer in layers)
        {
            var state = hiddenStates[layer].Detach();
            // transformers' last hidden state already carries the final norm, so the reference's raw lens sees it normed.
            bool norm = options.FinalNorm || layer == depth;
            for (int from = 0; from < n; from += RowBlock)
            {
                int rows = Math.Min(RowBlock, n - from);
                var x = new Tensor(state.Data.Slice((start + from) * d, rows * d).ToArray(), 1, rows, d);
                var logits = Ops.Linear(norm ? model.Language.FinalNorm.Forward(x) : x, model.Language.LmHead).Data;
                int vocabulary = logits.Length / rows;
                var scratch = new float[vocabulary];
                for (int r = 0; r < rows; r++)
                {
                    var row = logits.Slice(r * vocabulary, vocabulary);
                    var (normaliser, threshold) = Normaliser(row, options.TopK, scratch);
                    for (int t = 0; t < m; t++)
                    {
                        float z = row[tokens[t]];
                        float p = z >= threshold ? MathF.Exp(z - normaliser) : 0f;
                        ref float b = ref best[t * n + from + r];
                        if (p > b) b = p;
                    }
                }
            }
        }
        return (best, start, n);
    }

    // log Σ exp over the row (or over its k largest values) and the smallest logit that keeps probability.
    private static (float LogNormaliser, float Threshold) Normaliser(ReadOnlySpan<float> row, int topK, float[] scratch)
    {
        if (topK <= 0 || topK >= row.Length) return (LensScores.LogSumExp(row, scratch), float.NegativeInfinity);
        var kept = scratch.AsSpan(0, row.Length);
        row.CopyTo(kept);
        kept.Sort();
        kept.Reverse();
        var top = kept[..topK];
        float max = top[0];
        double sum = 0;
        foreach (float z in top) sum += Math.Exp(z - max);
        return (max + (float)Math.Log(sum), top[^1]);
    }
}

/// <summary>Reads <see cref="InternalConfidenceOptions"/> from experiment parameters (shared by the explainer and the metric).</summary>
public static class InternalConfidenceParameters
{
    /// <summary>
    /// <c>layers</c> (hidden-state indices, default all), <c>final_norm</c> (default true), <c>top_k</c> (default 0: the
    /// whole vocabulary), <c>tokens</c> (max | min | first, default max).
    /// </summary>
    public static InternalConfidenceOptions Read(LvlmEval.Common.ParameterSet parameters)
    {
        var layers = parameters.IntList("layers");
        if (layers is { Length: 0 }) throw parameters.Error("layers", "[]", "at least one hidden-state index");
        return new InternalConfidenceOptions
        {
            Layers = layers,
            FinalNorm = parameters.Bool("final_norm", true),
            TopK = parameters.Int("top_k", 0, 0),
            Tokens = parameters.Choice("tokens", "max", "max", "min", "first") switch
            {
                "min" => WordTokenRule.Min,
                "first" => WordTokenRule.First,
                _ => WordTokenRule.Max,
            },
        };
    }
}
