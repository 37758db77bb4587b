using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Explainers.Hallucination;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Internal confidence maps (Jiang et al. 2024, §3–4): each answer token's map is, per patch, the largest logit-lens
/// probability of that token at the patch's image token over the chosen layers (<see cref="InternalConfidence"/>), as
/// the authors read generated caption words. On a sample that names an object (POPE, <c>prompt: pope</c>) the sequence
/// map is the object's map — the zero-shot segmentation the localisation metrics score against the object's mask;
/// otherwise it is the per-patch maximum over the answer tokens' maps.
/// </summary>
public sealed class InternalConfidenceExplainer : IExplainer
{
    private readonly InternalConfidenceOptions _options;

    /// <summary>Parameters as <see cref="InternalConfidenceParameters.Read"/>.</summary>
    public InternalConfidenceExplainer(ParameterSet parameters) => _options = InternalConfidenceParameters.Read(parameters);

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("internal-confidence", "an answer token's or the question's object's probability read from image tokens through the logit lens (zero-shot segmentation)", "Jiang et al. 2024", "1 forward (shared trace) + (layers × image tokens) head products", Granularity.Token | Granularity.Sequence),
        p => new InternalConfidenceExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageHiddenStates = true };

    /// <inheritdoc/>
    public void Validate(LlavaModel model)
    {
        try { InternalConfidence.LayersOf(_options, model.Language.NumLayers); }
        catch (ArgumentOutOfRangeException e) { throw new ParameterException($"explainer '{Name}': {e.Message.Split(Environment.NewLine)[0]}"); }
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var trace = context.Trace(TraceNeeds);
        var maps = InternalConfidence.TokenMaps(context.Model, context.Prepared, trace.LanguageHiddenStates, context.AnswerIds, _options);
        var tokens = maps.Select((map, t) => new TokenExplanation(t, context.AnswerIds[t], map, null)).ToList();
        var sequence = request.Subject is { } subject
            ? InternalConfidence.Compute(context.Model, context.Prepared, trace, subject, _options).Map
            : new PatchMap(context.GridHeight, context.GridWidth, Enumerable.Range(0, context.Patches).Select(j => maps.Max(m => m.Values[j])).ToArray());
        return context.Finish(Name, tokens, sequence);
    }
}
