namespace LvlmEval.Results;

/// <summary>
/// The samples a comparison of explainers uses: those every compared explainer scored (a finite value), and per explainer
/// how many of the samples any of them scored it lacks (its failures: an error, or a NaN score).
/// </summary>
/// <param name="Samples">Sample ids every explainer has a value for, in ordinal order.</param>
/// <param name="Failures">Per explainer: samples scored by another explainer but not by this one.</param>
public sealed record CommonSampleSet(IReadOnlyList<string> Samples, IReadOnlyDictionary<string, int> Failures)
{
    /// <summary>
    /// A sample that failed for one explainer would otherwise drop out of that explainer's mean only, and the means would
    /// describe different samples (a method that fails on hard images looks better). Explainers with no finite value at
    /// all are left out (the metric does not apply to them, or they failed everywhere: their failures count every sample).
    /// </summary>
    public static CommonSampleSet Of(IReadOnlyDictionary<string, Dictionary<string, double>> valuesByExplainer)
    {
        var scored = valuesByExplainer.ToDictionary(kv => kv.Key,
            kv => kv.Value.Where(s => double.IsFinite(s.Value)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal));
        var union = scored.Values.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
        var compared = scored.Where(kv => kv.Value.Count > 0).Select(kv => kv.Value).ToList();
        var common = union.Where(id => compared.All(s => s.Contains(id))).Order(StringComparer.Ordinal).ToList();
        var failures = scored.ToDictionary(kv => kv.Key, kv => union.Count(id => !kv.Value.Contains(id)));
        return new CommonSampleSet(common, failures);
    }
}

/// <summary>The samples two runs are compared on, per (model, dataset, metric): those every explainer scored in both runs.</summary>
/// <param name="Samples">Sample ids every explainer present in both runs scored in both, in ordinal order.</param>
/// <param name="FailuresA">Per explainer: failures in the baseline run (see <see cref="CommonSampleSet"/>).</param>
/// <param name="FailuresB">Per explainer: failures in the candidate run.</param>
public sealed record PairedSampleSet(IReadOnlyList<string> Samples, IReadOnlyDictionary<string, int> FailuresA, IReadOnlyDictionary<string, int> FailuresB)
{
    /// <summary>
    /// The common samples of two runs' values for one (model, dataset, metric), keyed by explainer then sample: a sample
    /// counts when every explainer that has values in both runs scored it in both; failures are counted per run.
    /// </summary>
    public static PairedSampleSet Of(IReadOnlyDictionary<string, Dictionary<string, double>> a, IReadOnlyDictionary<string, Dictionary<string, double>> b)
    {
        var both = a.Keys.Where(b.ContainsKey).ToDictionary(e => e, e => a[e].Where(s => b[e].TryGetValue(s.Key, out var vb) && double.IsFinite(vb))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal));
        return new PairedSampleSet(CommonSampleSet.Of(both).Samples, CommonSampleSet.Of(a).Failures, CommonSampleSet.Of(b).Failures);
    }
}
