using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Logit lens on the image tokens (nostalgebraist 2020; applied to LLaVA by Jiang et al. 2024, "Interpreting and editing
/// vision-language representations", and Neo et al. 2024): for each image token j and chosen layer l, the probability of
/// the answer token under lm_head(norm(h_l[j])); the map takes the max (or mean) over the chosen layers.
/// </summary>
public sealed class LogitLensExplainer : IExplainer
{
    private readonly LayerChoice _layers;
    private readonly string _reduce, _score;

    /// <summary>
    /// Parameters: <c>layers</c> (decoder layers whose output is read, default all), <c>reduce</c> (max, mean; default max),
    /// <c>score</c> (probability, logit; default probability).
    /// </summary>
    public LogitLensExplainer(ParameterSet parameters)
    {
        _layers = new LayerChoice(parameters, "layers", "layer");
        _reduce = parameters.Choice("reduce", "max", "max", "mean");
        _score = parameters.Choice("score", "probability", "probability", "logit");
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("logit-lens", "answer-token probability read from image tokens through the logit lens", "nostalgebraist 2020; Jiang et al. 2024; Neo et al. 2024", "1 forward (shared trace)", Granularity.Token | Granularity.Sequence),
        p => new LogitLensExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageHiddenStates = true };

    /// <inheritdoc/>
    public void Validate(LlavaModel model) => _layers.Resolve(model.Language.NumLayers);

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var layers = _layers.Resolve(context.Model.Language.NumLayers);
        var trace = context.Trace(TraceNeeds);
        int patches = context.Patches, d = context.Model.Config.Text.HiddenSize, answer = context.AnswerLength;
        var maps = new float[answer][];
        for (int t = 0; t < answer; t++) maps[t] = new float[patches];
        var rows = new float[patches * d];
        for (int k = 0; k < layers.Length; k++)
        {
            // Hidden state l + 1 is layer l's output. A patch without an image token reads a text row here and is marked missing below.
            trace.LanguageHiddenStates[layers[k] + 1].Detach().Data.Slice(context.Prepared.PatchTokenStart * d, patches * d).CopyTo(rows);
            var (logits, logProbs) = LensScores.Evaluate(context.Model, rows, patches, context.AnswerIds);
            for (int t = 0; t < answer; t++)
            for (int j = 0; j < patches; j++)
            {
                float v = _score == "logit" ? logits[j * answer + t] : MathF.Exp(logProbs[j * answer + t]);
                ref float m = ref maps[t][j];
                m = _reduce == "mean" ? m + v / layers.Length : (k == 0 ? v : Math.Max(m, v));
            }
        }
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < answer; t++) tokens.Add(new TokenExplanation(t, context.AnswerIds[t], context.Map(context.MarkMissingPatches(maps[t])), null));
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }
}
