using LvlmEval.Explainers.Configuration;
using LvlmEval.Explainers.Methods;

namespace LvlmEval.Explainers;

/// <summary>Maps the names used in experiment files to explainer factories.</summary>
public static class ExplainerRegistry
{
    private static readonly Dictionary<string, Func<ParameterSet, IExplainer>> Factories = new(StringComparer.Ordinal)
    {
        ["attention"] = p => new AttentionExplainer(p),
        ["rollout"] = p => new RolloutExplainer(p),
        ["relevancy"] = p => new RelevancyExplainer(p),
        ["dexar"] = p => new DexArExplainer(p),
        ["logit-lens"] = p => new LogitLensExplainer(p),
        ["head-contribution"] = p => new HeadContributionExplainer(p),
        ["gradcam"] = p => new GradCamExplainer(p),
        ["input-x-gradient"] = p => new InputXGradientExplainer(p),
        ["integrated-gradients"] = p => new IntegratedGradientsExplainer(p),
        ["occlusion"] = p => new OcclusionExplainer(p),
        ["rise"] = p => new RiseExplainer(p),
        ["cleann"] = p => new CleannExplainer(p),
        ["random"] = p => new RandomExplainer(p),
        ["center"] = p => new CenterExplainer(p),
    };

    /// <summary>Every registered name, sorted.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Adds or replaces <paramref name="name"/> (methods defined outside this assembly: plugins, tests).</summary>
    public static void Register(string name, Func<ParameterSet, IExplainer> factory)
    {
        lock (Factories) Factories[name] = factory;
    }

    /// <summary>Removes a explainer added with <c>Register</c> (plugins loaded for one run, tests); returns whether it was there.</summary>
    public static bool Unregister(string name)
    {
        lock (Factories) return Factories.Remove(name);
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Builds the explainer <paramref name="name"/> from its parameters; unknown names and parameters fail listing the valid ones.</summary>
    public static IExplainer Create(string name, ParameterSet? parameters = null)
    {
        if (!Factories.TryGetValue(name, out var factory))
            throw new ParameterException($"{(parameters?.Location is { } l ? l + ": " : "")}unknown explainer '{name}'; valid explainers: {string.Join(", ", Names)}");
        var set = parameters ?? new ParameterSet($"explainer '{name}'");
        var explainer = factory(set);
        set.RejectUnknown();
        return explainer;
    }
}
