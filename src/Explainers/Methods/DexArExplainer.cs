using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// DEX-AR (Bousselham, Boggust, Strobelt &amp; Kuehne 2026; reference code WalBouss/DEX-AR). For each of the last K decoder
/// layers l: z = logit-lens logit of the answer token at layer l's output, g = ReLU(∂z/∂A_l[h, t, :]); head scores
/// S_img = top-k mean of g over image tokens and S_txt over text tokens; head weights w = ReLU(S_img − S_txt) (dynamic
/// head filtering). Per-token map: Σ_{l,h} w·ĝ_img with ĝ the gradients min–max normalised over all tokens, layers and
/// heads, then min–max per token. Sequence map: Σ_t δ_t·Σ_{l,h} w·ĝ_img with δ_t = ReLU(max S_img − max S_txt)
/// (sequence-level filtering), min–max normalised. Either filter can be switched off (weights of one) for ablations.
/// Two known differences from the reference wrapper (dexar/wrapper.py), both kept by default and both reproduced with
/// <c>reference_wrapper: true</c>: (1) it reads Hugging Face's hidden states, whose last entry is already the final-normed
/// state, and normalises again, so its last layer scores lm_head(norm(norm(h_L))); here every layer, the last included,
/// scores lm_head(norm(h_l)), the logit lens as defined and the model's own logit at the last layer; (2) its text
/// scores S_txt skip the first token after the image (it slices from idx_img_tok_end + 1), here every non-image position counts.
/// </summary>
public sealed class DexArExplainer : IExplainer
{
    private readonly int _lastLayers, _topK;
    private readonly bool _headFilter, _tokenFilter, _referenceWrapper;
    private readonly ParameterSet _parameters;

    /// <summary>
    /// Parameters: <c>last_layers</c> (K, default 10), <c>top_k</c> (default 1), <c>head_filter</c>, <c>token_filter</c>
    /// (default true), <c>reference_wrapper</c> (default false: reproduce the reference wrapper's double norm and text slice).
    /// </summary>
    public DexArExplainer(ParameterSet parameters)
    {
        _parameters = parameters;
        _lastLayers = parameters.Int("last_layers", 10, 1);
        _topK = parameters.Int("top_k", 1, 1);
        _headFilter = parameters.Bool("head_filter", true);
        _tokenFilter = parameters.Bool("token_filter", true);
        _referenceWrapper = parameters.Bool("reference_wrapper", false);
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("dexar", "dynamic head- and token-filtered attention gradients of the logit lens", "Bousselham, Boggust, Strobelt & Kuehne 2026 (DEX-AR)", "1 forward (shared trace), local gradients only", Granularity.Token | Granularity.Sequence),
        p => new DexArExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => LayerInternals.Needs;

    /// <inheritdoc/>
    public void Validate(LlavaModel model)
    {
        int layers = model.Language.NumLayers;
        if (_parameters.Has("last_layers") && _lastLayers > layers)
            throw _parameters.Error("last_layers", _lastLayers, $"a layer count in 1 … {layers}: the model has {layers} layers");
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        Validate(context.Model);
        var trace = context.Trace(TraceNeeds);
        var internals = new LayerInternals(context.Model, trace);
        int layerCount = context.Model.Language.NumLayers, first = layerCount - Math.Min(_lastLayers, layerCount);
        int heads = internals.Heads, patches = context.Patches, answer = context.AnswerLength;
        int used = layerCount - first;

        var imageGradients = new float[answer * used * heads * patches];   // g over the patch grid, [T, K, H, N]
        var weights = new float[answer * used * heads];
        var delta = new float[answer];
        var positionRelevance = new float[answer][];
        for (int t = 0; t < answer; t++)
        {
            int position = context.PredictingPosition(t), keys = position + 1;
            float maxImage = float.NegativeInfinity, maxText = float.NegativeInfinity;
            var relevance = new float[keys];
            for (int k = 0; k < used; k++)
            {
                bool normTwice = _referenceWrapper && first + k == layerCount - 1;
                var g = internals.LensGradientAtAttentionRow(first + k, position, context.AnswerIds[t], normTwice);
                System.Numerics.Tensors.TensorPrimitives.Max(g, 0f, g);
                for (int h = 0; h < heads; h++)
                {
                    var row = g.AsSpan(h * keys, keys);
                    float image = TopKMean(row, context, image: true), text = TopKMean(row, context, image: false);
                    maxImage = Math.Max(maxImage, image);
                    maxText = Math.Max(maxText, text);
                    float w = _headFilter ? Math.Max(image - text, 0) : 1;
                    weights[(t * used + k) * heads + h] = w;
                    context.PatchValues(row).CopyTo(imageGradients.AsSpan(((t * used + k) * heads + h) * patches, patches));
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row, w, relevance, relevance);
                }
            }
            delta[t] = _tokenFilter ? Math.Max(maxImage - maxText, 0) : 1;
            positionRelevance[t] = relevance;
        }

        MapMath.MinMaxInPlace(imageGradients);
        var tokens = new List<TokenExplanation>();
        var sequence = new float[patches];
        for (int t = 0; t < answer; t++)
        {
            var map = new float[patches];
            for (int k = 0; k < used; k++)
            for (int h = 0; h < heads; h++)
            {
                float w = weights[(t * used + k) * heads + h];
                if (w != 0) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(imageGradients.AsSpan(((t * used + k) * heads + h) * patches, patches), w, map, map);
            }
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(map, delta[t], sequence, sequence);
            MapMath.MinMaxInPlace(map);
            tokens.Add(new TokenExplanation(t, context.AnswerIds[t], context.Map(context.MarkMissingPatches(map)), positionRelevance[t]));
        }
        MapMath.MinMaxInPlace(sequence);
        return context.Finish(Name, tokens, context.Map(context.MarkMissingPatches(sequence)));
    }

    // Mean of the k largest |g| over the image tokens, or over the text positions (everything else up to the query; the
    // reference wrapper leaves out the first token after the image).
    private float TopKMean(ReadOnlySpan<float> row, ExplainContext context, bool image)
    {
        int afterImage = context.Prepared.ImageTokenStart + context.Prepared.ImageTokenCount;
        var top = new float[_topK];
        Array.Fill(top, float.NegativeInfinity);
        int seen = 0;
        for (int j = 0; j < row.Length; j++)
        {
            if (context.IsImage(j) != image || (!image && _referenceWrapper && j == afterImage)) continue;
            seen++;
            float v = Math.Abs(row[j]);
            if (v <= top[^1]) continue;
            int at = _topK - 1;
            while (at > 0 && top[at - 1] < v) { top[at] = top[at - 1]; at--; }
            top[at] = v;
        }
        if (seen == 0) return 0;
        int n = Math.Min(_topK, seen);
        float sum = 0;
        for (int i = 0; i < n; i++) sum += top[i];
        return sum / _topK;
    }
}
