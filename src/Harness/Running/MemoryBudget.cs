using System.Globalization;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Models;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Harness.Running;

/// <summary>
/// Refuses, before anything runs, a model whose estimated peak memory (<see cref="MemoryEstimator"/>: weights, then
/// generation or the gradient trace the configured explainers need) exceeds the memory the machine has available, so a
/// run ends with a message instead of the OOM killer. Each sample worker beyond the first adds the widening buffer its
/// products with half-width weights keep (<see cref="WeightMatrix.WideningBufferBytes"/>; the estimate counts one).
/// </summary>
internal static class MemoryBudget
{
    /// <summary>The storage a model spec asks for (<c>dtype: float32</c> widens on load).</summary>
    public static WeightStorage StorageOf(ModelSpec spec) => spec.DType == "float32" ? WeightStorage.Float32 : WeightStorage.AsStored;

    /// <summary>
    /// Throws <see cref="ExperimentConfigException"/> at the first model of <paramref name="config"/> that cannot fit in
    /// <paramref name="availableBytes"/> when run by <paramref name="workers"/> sample workers (null: the run's default for
    /// the model's size, with <paramref name="kernelThreads"/> compute threads).
    /// </summary>
    public static void Check(ExperimentConfig config, long availableBytes, int? workers, int kernelThreads)
    {
        var plan = TraceCache.For(config.Explainers.Select(e => e.Instance)).Plan;
        foreach (var spec in config.Models)
        {
            var storage = StorageOf(spec);
            var estimate = MemoryEstimator.Estimate(spec.Path, storage);
            int sampleWorkers = ExperimentRunner.SampleWorkers(workers, workers is null ? ParameterCount(spec.Path) : 0, kernelThreads);
            long peak = estimate.PeakFor(plan) + (sampleWorkers - 1) * WeightMatrix.WideningBufferBytes;
            if (peak <= availableBytes) continue;
            string what = plan is { Gradients: true }
                ? $"a gradient explanation ({string.Join(", ", config.Explainers.Where(e => e.Instance.TraceNeeds is { Gradients: true }).Select(e => e.Name))})"
                : "generation";
            string hint = storage == WeightStorage.Float32
                ? "drop dtype: float32 to keep F16/BF16 weights as stored, use fewer explainers that need gradients, or a machine with more memory"
                : "use explainers without gradients, or a machine with more memory";
            if (sampleWorkers > 1) hint = $"run fewer --workers, {hint}";
            throw new ExperimentConfigException(spec.Location,
                $"model '{spec.Name}' ({spec.Path}) needs an estimated {Gb(peak)} at peak for {what} over {estimate.Tokens} tokens" +
                $"{(sampleWorkers > 1 ? $" with {sampleWorkers} workers" : "")} " +
                $"(weights {Gb(estimate.WeightBytes)}{(storage == WeightStorage.Float32 ? " widened to float32" : " as stored")}), " +
                $"but this machine has {Gb(availableBytes)} available; {hint}");
        }
    }

    // Parameters from the safetensors headers, as the loaded model counts them: every float tensor's elements (a float32
    // copy of the checkpoint takes four bytes each).
    private static long ParameterCount(string directory)
    {
        using var checkpoint = WeightLoader.OpenSafetensors(directory);
        return MemoryEstimator.WeightBytes(checkpoint, WeightStorage.Float32) / sizeof(float);
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture) + " GB";
}
