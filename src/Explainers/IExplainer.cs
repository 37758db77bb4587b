using LvlmEval.Models.Llava;

namespace LvlmEval.Explainers;

/// <summary>A heatmap method. Instances are configured once (from YAML parameters) and are reused across samples.</summary>
public interface IExplainer
{
    /// <summary>Registry name, e.g. "relevancy".</summary>
    string Name { get; }

    /// <summary>
    /// Checks the configuration against a loaded model before a run starts (layer or head out of range …), throwing a
    /// <see cref="Configuration.ParameterException"/> that lists the valid values.
    /// </summary>
    void Validate(LlavaModel model) { }

    /// <summary>Explains the request's answer; deterministic for a given request (seeded methods use <see cref="ExplainRequest.Seed"/>).</summary>
    Explanation Explain(ExplainRequest request);
}
