using System.Globalization;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Models;
using LvlmEval.Models.Loading;

namespace LvlmEval.Harness.Running;

/// <summary>
/// Refuses, before anything runs, a model whose estimated peak memory (<see cref="MemoryEstimator"/>: weights, then
/// generation or the gradient trace the configured explainers need) exceeds the memory the machine has available, so a
/// run ends with a message instead of the OOM killer.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>The storage a model spec asks for (<c>dtype: float32</c> widens on load).</summary>
    public static WeightStorage StorageOf(ModelSpec spec) => spec.DType == "float32" ? WeightStorage.Float32 : WeightStorage.AsStored;

    /// <summary>Throws <see cref="ExperimentConfigException"/> at the first model of <paramref name="config"/> that cannot fit in <paramref name="availableBytes"/>.</summary>
    public static void Check(ExperimentConfig config, long availableBytes)
    {
        var plan = TraceCache.For(config.Explainers.Select(e => e.Instance)).Plan;
        foreach (var spec in config.Models)
        {
            var storage = StorageOf(spec);
            var estimate = MemoryEstimator.Estimate(spec.Path, storage);
            long peak = estimate.PeakFor(plan);
            if (peak <= availableBytes) continue;
            string what = plan is { Gradients: true }
                ? $"a gradient explanation ({string.Join(", ", config.Explainers.Where(e => e.Instance.TraceNeeds is { Gradients: true }).Select(e => e.Name))})"
                : "generation";
            string hint = storage == WeightStorage.Float32
                ? "drop dtype: float32 to keep F16/BF16 weights as stored, use fewer explainers that need gradients, or a machine with more memory"
                : "use explainers without gradients, or a machine with more memory";
            throw new ExperimentConfigException(spec.Location,
                $"model '{spec.Name}' ({spec.Path}) needs an estimated {Gb(peak)} at peak for {what} over {estimate.Tokens} tokens " +
                $"(weights {Gb(estimate.WeightBytes)}{(storage == WeightStorage.Float32 ? " widened to float32" : " as stored")}), " +
                $"but this machine has {Gb(availableBytes)} available; {hint}");
        }
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture) + " GB";
}
