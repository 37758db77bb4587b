using LvlmEval.Explainers.Configuration;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Metrics.Reliance;

namespace LvlmEval.Metrics;

/// <summary>Maps the names used in experiment files to metric factories.</summary>
public static class MetricRegistry
{
    private static readonly Dictionary<string, Func<ParameterSet, IMetric>> Factories = new(StringComparer.Ordinal)
    {
        ["deletion"] = p => new DeletionInsertionMetric("deletion", deletion: true, insertion: false, p),
        ["insertion"] = p => new DeletionInsertionMetric("insertion", deletion: false, insertion: true, p),
        ["deletion-insertion"] = p => new DeletionInsertionMetric("deletion-insertion", deletion: true, insertion: true, p),
        ["text-perturbation"] = p => new TextPerturbationMetric(p),
        ["explanation-set-faithfulness"] = p => new ExplanationSetFaithfulnessMetric(p),
        ["relevance-share"] = p => new RelevanceShareMetric(p),
        ["behavioural-reliance"] = p => new BehaviouralRelianceMetric(p),
        ["pointing-game"] = p => new PointingGameMetric(p),
        ["energy-pointing-game"] = p => new EnergyPointingGameMetric(p),
        ["relevance-rank"] = p => new RelevanceRankMetric(p),
        ["iou"] = p => new IouMetric(p),
        ["pixel-ap"] = p => new PixelApMetric(p),
    };

    /// <summary>Every registered name, sorted.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Adds or replaces <paramref name="name"/> (methods defined outside this assembly: plugins, tests).</summary>
    public static void Register(string name, Func<ParameterSet, IMetric> factory)
    {
        lock (Factories) Factories[name] = factory;
    }

    /// <summary>Removes a metric added with <c>Register</c> (plugins loaded for one run, tests); returns whether it was there.</summary>
    public static bool Unregister(string name)
    {
        lock (Factories) return Factories.Remove(name);
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Builds metric <paramref name="name"/> from its parameters; unknown names and parameters fail listing the valid ones.</summary>
    public static IMetric Create(string name, ParameterSet? parameters = null)
    {
        if (!Factories.TryGetValue(name, out var factory))
            throw new ParameterException($"{(parameters?.Location is { } l ? l + ": " : "")}unknown metric '{name}'; valid metrics: {string.Join(", ", Names)}");
        var set = parameters ?? new ParameterSet($"metric '{name}'");
        var metric = factory(set);
        set.RejectUnknown();
        return metric;
    }
}
