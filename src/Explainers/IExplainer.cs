using LvlmEval.Common;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers;

/// <summary>A heatmap method. Instances are configured once (from YAML parameters) and are reused across samples.</summary>
public interface IExplainer
{
    /// <summary>Registry name, e.g. "relevancy".</summary>
    string Name { get; }

    /// <summary>
    /// Checks the configuration against a loaded model before a run starts (layer or head out of range …), throwing a
    /// <see cref="ParameterException"/> that lists the valid values.
    /// </summary>
    void Validate(LlavaModel model) { }

    /// <summary>
    /// What the method reads from its traced forward of the prompt and answer (attentions, hidden states, gradients),
    /// or null when it runs none; a runner joins these so one traced forward serves every method of a sample
    /// (<see cref="TraceCache.For"/>).
    /// </summary>
    TraceOptions? TraceNeeds => null;

    /// <summary>Explains the request's answer; deterministic for a given request (seeded methods use <see cref="ExplainRequest.Seed"/>).</summary>
    Explanation Explain(ExplainRequest request);
}
