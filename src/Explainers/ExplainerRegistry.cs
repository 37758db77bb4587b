using LvlmEval.Common.Registries;

namespace LvlmEval.Explainers;

/// <summary>Explainers by the name used in experiment files.</summary>
public static class ExplainerRegistry
{
    /// <summary>Every explainer declared in this assembly (each method's static <c>Registration</c>); plugins and tests add more.</summary>
    public static Registry<IExplainer> All { get; } = Registry<IExplainer>.Discover("explainer", typeof(IExplainer).Assembly);
}
