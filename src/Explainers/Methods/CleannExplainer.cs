using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Causal;
using LvlmEval.Common;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// CLEANN (Rohekar, Gurwicz and Nisimov, NeurIPS 2023, "Causal Interpretation of Self-Attention in Pre-Trained
/// Transformers"), as LVLM-Interpret (Stan et al. 2024) applies it: per head of the chosen layer, the attention matrix A
/// over a few tokens is read as a linear SCM whose outputs have covariance A·Aᵀ; Ordered ICD learns a causal graph from
/// the partial correlations it implies, and the explanation set of the position predicting an answer token is its
/// possible-d-separation set within <c>search_range</c> hops. The tokens analysed are the position itself, its
/// <c>max_image_tokens</c> most-attended image tokens (at least 2, no more than the number above <c>attention_threshold</c>)
/// and the later text tokens it attends above <c>attention_threshold</c>. The explanation set is the union over heads; the
/// patch map and the position relevance are 1 on its members and 0 elsewhere; <c>SetStrength</c> is the fraction of heads
/// whose set holds the patch (the reference sums per-head weights 1 − p over heads; its p-value uses as many records as
/// set members, leaving negative degrees of freedom, so here every member weighs 1).
/// </summary>
public sealed class CleannExplainer : IExplainer
{
    private readonly int? _layer;
    private readonly double _significance;
    private readonly int _searchRange, _maxImageTokens;
    private readonly int _samples;
    private readonly int? _maxConditioning;
    private readonly double _attentionThreshold;
    private readonly LayerChoice _heads;
    private readonly ParameterSet _parameters;

    /// <summary>
    /// Parameters (defaults of LVLM-Interpret's <c>handle_causality</c>): <c>layer</c> (default the last), <c>heads</c>
    /// (default all), <c>significance</c> 1e-5, <c>samples</c> 128 (records behind the correlations: the reference's
    /// fixed degrees of freedom, which is LLaVA-7B's head size; it is kept for every model), <c>search_range</c> 3, <c>max_image_tokens</c> 50,
    /// <c>attention_threshold</c> 0.01, <c>max_conditioning_size</c> (default unlimited, as the reference).
    /// </summary>
    public CleannExplainer(ParameterSet parameters)
    {
        _parameters = parameters;
        _layer = parameters.Has("layer") ? parameters.Int("layer", -1) : null;
        _heads = new LayerChoice(parameters, "heads", "head");
        _significance = parameters.Double("significance", 1e-5, 1e-300, 0.5);
        _samples = parameters.Int("samples", 128, 8);
        _searchRange = parameters.Int("search_range", 3, 1, 64);
        _maxImageTokens = parameters.Int("max_image_tokens", 50, 2, 4096);
        _attentionThreshold = parameters.Double("attention_threshold", 0.01, 0, 1);
        _maxConditioning = parameters.Has("max_conditioning_size") ? parameters.Int("max_conditioning_size", 0, 0) : null;
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("cleann", "causal explanation set of the predicting position from one layer's attention", "Rohekar, Gurwicz & Nisimov, NeurIPS 2023 (CLEANN)", "1 forward (shared trace) + a causal search per head", Granularity.Token | Granularity.Sequence),
        p => new CleannExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageAttentions = true };

    /// <inheritdoc/>
    public void Validate(LlavaModel model)
    {
        LayerChoice.ResolveSingle(_parameters, "layer", _layer, model.Language.NumLayers, "layer");
        _heads.Resolve(model.Config.Text.NumHeads);
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var model = context.Model;
        int layer = LayerChoice.ResolveSingle(_parameters, "layer", _layer, model.Language.NumLayers, "layer") ?? model.Language.NumLayers - 1;
        var heads = _heads.Resolve(model.Config.Text.NumHeads);
        int samples = _samples;
        var trace = context.Trace(TraceNeeds);
        int sequence = trace.TokenIds.Length;
        var attention = trace.LanguageAttentions[layer].Detach().Data;
        var tokens = new List<TokenExplanation>();
        for (int i = 0; i < context.AnswerLength; i++)
        {
            int target = context.PredictingPosition(i);
            var relevance = new float[target + 1];
            var union = new SortedSet<int>();
            foreach (int h in heads)
            {
                var head = attention.Slice(h * sequence * sequence, sequence * sequence);
                foreach (int position in ExplanationSet(head.ToArray(), sequence, target, context, samples))
                {
                    relevance[position] += 1f / heads.Length;
                    union.Add(position);
                }
            }
            var membership = new float[target + 1];
            foreach (int position in union) membership[position] = 1f;
            tokens.Add(new TokenExplanation(i, context.AnswerIds[i], context.Map(context.PatchValues(membership)), membership)
            {
                ExplanationSet = union.ToArray(),
                SetStrength = context.Map(context.PatchValues(relevance)),
            });
        }
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }

    /// <summary>One head's explanation set of <paramref name="target"/> (sequence positions).</summary>
    private List<int> ExplanationSet(float[] head, int sequence, int target, ExplainContext context, int samples)
    {
        var nodes = SelectTokens(head.AsSpan(target * sequence, target + 1), context);
        nodes.Add(target);
        return Explain(head, sequence, nodes, target, samples, _significance, _searchRange, _maxConditioning);
    }

    /// <summary>
    /// The CLEANN explanation set of <paramref name="target"/> among <paramref name="positions"/> (ascending, target
    /// last) of a row-major [sequence, sequence] attention matrix: correlations of A·Aᵀ over those rows,
    /// Ordered ICD, the possible-d-sep set within <paramref name="searchRange"/> hops.
    /// </summary>
    public static List<int> Explain(float[] attention, int sequence, IReadOnlyList<int> positions, int target, int samples,
        double significance, int searchRange, int? maxConditioningSize = null)
    {
        int n = positions.Count;
        if (positions[n - 1] != target) throw new ArgumentException("The target must be the last (latest) position.", nameof(positions));
        // The reference forms A·Aᵀ from the whole attention rows (every key), then tests only the chosen tokens.
        var rows = new float[n, sequence];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < sequence; b++) rows[a, b] = attention[positions[a] * sequence + b];
        var test = new PartialCorrelationTest(PartialCorrelationTest.AttentionCorrelation(rows), samples, significance);
        var graph = new OrderedIcd(test, n, maxConditioningSize).Learn();
        var (_, set) = PossibleDSepTree.Build(graph, n - 1, maxDepth: searchRange);
        return set.Select(v => positions[v]).ToList();
    }

    /// <summary>Top attended image tokens and the text tokens after the image attended above the threshold, ascending.</summary>
    private List<int> SelectTokens(ReadOnlySpan<float> row, ExplainContext context)
    {
        var prepared = context.Prepared;
        int imageEnd = prepared.ImageTokenStart + prepared.ImageTokenCount, target = row.Length - 1;
        // Only positions that hold a patch are candidates (not CLIP's class token, nor a text token before SigLIP's first kept patch).
        var holding = Enumerable.Range(0, context.Patches).Select(prepared.PatchPosition).Where(p => p >= 0).ToArray();
        int above = 0;
        foreach (float w in row) if (w > _attentionThreshold) above++;
        int k = Math.Min(Math.Min(Math.Max(2, above), _maxImageTokens), holding.Length);
        var weights = row.ToArray();
        var chosen = new SortedSet<int>(holding.OrderByDescending(p => weights[p]).ThenBy(p => p).Take(k));
        for (int p = imageEnd; p < target; p++)
            if (row[p] > _attentionThreshold) chosen.Add(p);
        return chosen.ToList();
    }
}
