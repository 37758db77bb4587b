using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// Pools the outputs of chosen layers from one forward pass per sample. The forward keeps only what is asked for: the
/// tower's hidden states when a vision layer is chosen, one identity hook per chosen decoder layer, and logits of the last
/// prompt position only (for the model's own first answer token), so extraction costs about one plain forward.
/// </summary>
public sealed class ActivationExtractor
{
    private readonly LlavaModel _model;
    private readonly IReadOnlyList<ModelLayer> _layers;
    private readonly IReadOnlyList<Pooling> _poolings;

    /// <summary>Extracts <paramref name="layers"/> of <paramref name="model"/> with each of <paramref name="poolings"/> that applies.</summary>
    public ActivationExtractor(LlavaModel model, IReadOnlyList<ModelLayer> layers, IReadOnlyList<Pooling> poolings)
    {
        if (layers.Count == 0) throw new ArgumentException("No layers to extract.", nameof(layers));
        if (poolings.Count == 0) throw new ArgumentException("No poolings given; use image-mean, text-last, answer-first or none.", nameof(poolings));
        _model = model;
        _layers = layers;
        _poolings = poolings.Distinct().ToList();
    }

    /// <summary>Whether the reference answer's first token is appended (answer-first pooling on a language layer).</summary>
    public bool NeedsAnswer => _poolings.Contains(Pooling.AnswerFirst) && _layers.Any(l => l.Kind == LayerKind.Language);

    /// <summary>
    /// Runs one forward over <paramref name="prepared"/> (batch of one) followed by the first token of
    /// <paramref name="referenceAnswer"/> when answer-first pooling needs it, and pools every chosen layer.
    /// </summary>
    public ExtractedSample Extract(PreparedInput prepared, string? referenceAnswer)
    {
        int? referenceFirst = null;
        if (referenceAnswer is not null && _model.Tokenizer is { } tokenizer)
        {
            var ids = tokenizer.Encode(referenceAnswer, addSpecialTokens: false);
            if (ids.Length > 0) referenceFirst = ids[0];
        }
        return Extract(prepared, referenceFirst);
    }

    /// <summary>As above, with the reference answer's first token id given directly.</summary>
    public ExtractedSample Extract(PreparedInput prepared, int? referenceFirst)
    {
        if (prepared.BatchSize != 1) throw new ArgumentException($"Extraction takes one image at a time, got {prepared.BatchSize}.", nameof(prepared));
        if (NeedsAnswer && referenceFirst is null)
            throw new ArgumentException("answer-first pooling needs a reference answer that tokenises to at least one token.", nameof(referenceFirst));

        var captures = _layers.Where(l => l.Kind == LayerKind.Language).ToDictionary(l => l.Index, l => new LayerCapture(l.Index + 1));
        int promptLength = prepared.TokenIds.Length;
        var options = new TraceOptions
        {
            VisionHiddenStates = _layers.Any(l => l.Kind == LayerKind.Vision),
            Hooks = captures.Values.ToList(),
            LogitsFrom = promptLength - 1,
        };
        int[] answer = NeedsAnswer ? [referenceFirst!.Value] : [];
        var trace = _model.Forward(prepared, answer, options);

        var vectors = new List<ExtractedVector>();
        foreach (var layer in _layers)
        {
            var (hidden, imageRows) = layer.Kind switch
            {
                LayerKind.Vision => (trace.VisionHiddenStates[layer.Index + 1], PatchRows(trace.VisionHiddenStates[layer.Index + 1].Dim(1))),
                LayerKind.Projector => (trace.ImageFeatures, (0, trace.ImageFeatures.Dim(1))),
                _ => (captures[layer.Index].Hidden!, (prepared.ImageTokenStart, prepared.ImageTokenCount)),
            };
            foreach (var pooling in _poolings)
            {
                if (!PoolingNames.Applies(pooling, layer.Kind)) continue;
                vectors.Add(Pool(layer, pooling, hidden, imageRows, promptLength));
            }
        }
        int predicted = ArgMax(Ops.Select(Ops.Select(trace.Logits, 0, 0), 0, 0).Data);
        var text = _model.Tokenizer?.Decode([predicted], skipSpecialTokens: true) ?? "";
        return new ExtractedSample(vectors, predicted, text.Trim(), referenceFirst);
    }

    // The tower's patch tokens: CLIP puts a class token first.
    private (int Start, int Count) PatchRows(int tokens)
    {
        int cls = _model.Config.Vision.HasClassToken ? 1 : 0;
        return (cls, tokens - cls);
    }

    /// <summary>Pools hidden states [1, S, D] by the rule of <paramref name="pooling"/>.</summary>
    internal static ExtractedVector Pool(ModelLayer layer, Pooling pooling, Tensor hidden, (int Start, int Count) imageRows, int promptLength)
    {
        var rows = Ops.Select(hidden, 0, 0);
        int s = rows.Dim(0), d = rows.Dim(1);
        var data = rows.Data;
        switch (pooling)
        {
            case Pooling.ImageMean:
            {
                var mean = new double[d];
                for (int r = imageRows.Start; r < imageRows.Start + imageRows.Count; r++)
                    for (int j = 0; j < d; j++) mean[j] += data[r * d + j];
                var result = new float[d];
                for (int j = 0; j < d; j++) result[j] = (float)(mean[j] / imageRows.Count);
                return new ExtractedVector(layer, pooling, imageRows.Count, d, result);
            }
            case Pooling.TextLast:
                return new ExtractedVector(layer, pooling, 1, d, data.Slice((promptLength - 1) * d, d).ToArray());
            case Pooling.AnswerFirst:
                if (s <= promptLength) throw new InvalidOperationException("answer-first pooling needs the answer's first token in the forward.");
                return new ExtractedVector(layer, pooling, 1, d, data.Slice(promptLength * d, d).ToArray());
            default:
                return new ExtractedVector(layer, pooling, s, d, data[..(s * d)].ToArray());
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
