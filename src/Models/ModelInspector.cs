using System.Globalization;
using System.Text;
using LvlmEval.Models.Config;
using LvlmEval.Models.Loading;

namespace LvlmEval.Models;

/// <summary>Summary of a model folder read from config.json and the safetensors headers only (no weights are loaded).</summary>
public sealed record ModelSummary(LlavaConfig Config, string Layout, int Files, int Tensors, long Parameters, IReadOnlyDictionary<string, long> ParametersByDType)
{
    /// <summary>Bytes of the safetensors files on disk.</summary>
    public long DiskBytes { get; init; }

    /// <summary>Estimated peak memory with weights as stored.</summary>
    public required MemoryEstimate Memory { get; init; }

    /// <summary>Estimated peak memory with every weight widened to float32 (<c>dtype: float32</c>).</summary>
    public required MemoryEstimate MemoryAsFloat32 { get; init; }
}

/// <summary>Describes a LLaVA folder: architecture, parameter count, stored dtypes, image tokens.</summary>
public static class ModelInspector
{
    /// <summary>Reads the summary of <paramref name="directory"/>.</summary>
    public static ModelSummary Inspect(string directory)
    {
        var config = LlavaConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = WeightLoader.OpenSafetensors(directory);
        var byDType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var name in checkpoint.Names)
        {
            var info = checkpoint.Info(name);
            if (name.EndsWith(".position_ids", StringComparison.Ordinal)) continue;
            long n = info.ElementCount;
            total += n;
            byDType[info.DType.ToString()] = byDType.GetValueOrDefault(info.DType.ToString()) + n;
        }
        return new ModelSummary(config, CheckpointLayout.Detect(checkpoint.Names).Name, checkpoint.Files.Count, checkpoint.Names.Count, total, byDType)
        {
            DiskBytes = checkpoint.Files.Sum(f => new FileInfo(f.Path).Length),
            Memory = MemoryEstimator.Estimate(config, MemoryEstimator.WeightBytes(checkpoint, WeightStorage.AsStored)),
            MemoryAsFloat32 = MemoryEstimator.Estimate(config, MemoryEstimator.WeightBytes(checkpoint, WeightStorage.Float32)),
        };
    }

    /// <summary>A human-readable report of <paramref name="directory"/>.</summary>
    public static string Describe(string directory)
    {
        var s = Inspect(directory);
        var c = s.Config;
        var v = c.Vision;
        var t = c.Text;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"Model:         {Path.GetFullPath(directory)}");
        sb.AppendLine("Architecture:  LlavaForConditionalGeneration (llava)");
        sb.AppendLine($"Vision tower:  {v.ModelType}, {v.NumLayers} layers, hidden {v.HiddenSize}, {v.NumHeads} heads, MLP {v.IntermediateSize}, " +
                      $"image {v.ImageSize} px, patch {v.PatchSize} px ({v.GridSide}×{v.GridSide} grid), {v.HiddenAct}");
        sb.AppendLine($"Projector:     linear {v.HiddenSize * c.VisionFeatureLayers.Length}→{t.HiddenSize}, {c.ProjectorHiddenAct}, linear {t.HiddenSize}→{t.HiddenSize}");
        var rope = t.RopeScaling is { } r ? $", rope scaling {r.Kind.ToString().ToLowerInvariant()} ×{r.Factor.ToString(inv)}" : "";
        sb.AppendLine($"Decoder:       {t.ModelType}, {t.NumLayers} layers, hidden {t.HiddenSize}, {t.NumHeads} query / {t.NumKeyValueHeads} key-value heads " +
                      $"(head dim {t.HeadDim}), MLP {t.IntermediateSize}, vocab {t.VocabSize}, rope θ {t.RopeTheta.ToString(inv)}{rope}" +
                      (t.QkvBias ? ", q/k/v bias" : "") + (t.TieWordEmbeddings ? ", tied output head" : ""));
        sb.AppendLine($"Image tokens:  {c.ImageTokenCount} per image (token id {c.ImageTokenId}, feature layer {string.Join(",", c.VisionFeatureLayers)}, " +
                      $"strategy {c.FeatureSelect.ToString().ToLowerInvariant()})");
        sb.AppendLine($"Checkpoint:    {s.Layout} key layout, {s.Files} safetensors file(s), {s.Tensors} tensors");
        sb.AppendLine($"Parameters:    {s.Parameters.ToString("N0", inv)} ({(s.Parameters / 1e9).ToString("F2", inv)} B; {(s.Parameters * 4 / 1e9).ToString("F2", inv)} GB as float32)");
        sb.Append("Stored dtypes: ").AppendJoin(", ", s.ParametersByDType.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", inv)}")).AppendLine();
        sb.AppendLine($"On disk:       {Gb(s.DiskBytes)} in {s.Files} file(s)");
        var m = s.Memory;
        sb.AppendLine($"Memory (est.): weights {Gb(m.WeightBytes)} as stored ({Gb(s.MemoryAsFloat32.WeightBytes)} as float32); peak at {v.ImageSize} px, " +
                      $"{c.ImageTokenCount} image + {MemoryEstimator.DefaultTextTokens} text tokens:");
        sb.AppendLine($"               generate {Gb(m.GenerateBytes)} (float32: {Gb(s.MemoryAsFloat32.GenerateBytes)}), " +
                      $"gradient explanation {Explanation(m)} (float32: {Explanation(s.MemoryAsFloat32)})");
        return sb.ToString();

        // The model recomputes layers in the backward when the full trace would not fit; both figures are shown then.
        static string Explanation(MemoryEstimate e) => e.RecomputedGradientExplanationBytes < e.GradientExplanationBytes
            ? $"{Gb(e.RecomputedGradientExplanationBytes)} with layers recomputed, {Gb(e.GradientExplanationBytes)} keeping every layer"
            : Gb(e.GradientExplanationBytes);

        static string Gb(long bytes) => (bytes / 1e9).ToString(bytes < 100_000_000 ? "F3" : "F1", CultureInfo.InvariantCulture) + " GB";
    }
}
