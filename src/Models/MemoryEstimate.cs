using LvlmEval.Models.Config;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Models;

/// <summary>
/// Estimated peak resident memory of a model, from config.json and the safetensors headers only (nothing is loaded).
/// </summary>
/// <param name="WeightBytes">Weights in memory: half-width matrices at their stored size (mapped page cache), everything else as float32.</param>
/// <param name="Tokens">Sequence length assumed: the image tokens plus <see cref="MemoryEstimator.DefaultTextTokens"/> text tokens.</param>
/// <param name="GenerateBytes">Peak of a greedy generation of <see cref="MemoryEstimator.DefaultNewTokens"/> tokens (weights included).</param>
/// <param name="GradientExplanationBytes">
/// Peak of one traced forward with gradients to the decoder's attention maps and its backward (weights included), with
/// every layer's activations kept for the backward.
/// </param>
/// <param name="RecomputedGradientExplanationBytes">The same with layers recomputed in the backward (<see cref="TraceOptions.RecomputeLayers"/>).</param>
public sealed record MemoryEstimate(long WeightBytes, int Tokens, long GenerateBytes, long GradientExplanationBytes, long RecomputedGradientExplanationBytes)
{
    /// <summary>
    /// Peak of a run whose explainers need <paramref name="plan"/> (null: generation only). A gradient trace recomputes
    /// layers when the full trace would not fit (the model decides so at run time), so its smaller figure counts.
    /// </summary>
    public long PeakFor(TraceOptions? plan) => plan is { Gradients: true }
        ? Math.Max(GenerateBytes, plan.RecomputeLayers switch
        {
            true => RecomputedGradientExplanationBytes,
            false => GradientExplanationBytes,
            null => Math.Min(GradientExplanationBytes, RecomputedGradientExplanationBytes),
        })
        : GenerateBytes;
}

/// <summary>
/// Counts what a forward keeps alive, layer by layer, from the model's shapes. The counts follow the code: a forward
/// without gradients frees each layer's activations after the layer (<c>ActivationMemory</c>), so its peak is one
/// layer's work plus the KV cache; a gradient trace keeps every recorded op's inputs until its backward, and the
/// backward adds about one layer's gradients at a time. The vision tower runs without a graph unless gradients go to
/// the pixels. Figures are estimates: the buffer pool rounds arrays up by at most 12.5 %, which the slack factor covers.
/// </summary>
public static class MemoryEstimator
{
    /// <summary>Text tokens assumed around the image (a question and a short answer).</summary>
    public const int DefaultTextTokens = 40;

    /// <summary>Tokens a generation estimate decodes.</summary>
    public const int DefaultNewTokens = 16;

    /// <summary>
    /// The .NET runtime, OpenBLAS thread buffers, tokenizer and image (measured near 0.3 GB on the tiny models), plus the
    /// buffer products with half-width weights widen into (<see cref="WeightMatrix.WideningBufferBytes"/>).
    /// </summary>
    public const long RuntimeBytes = (400L << 20) + WeightMatrix.WideningBufferBytes;

    /// <summary>Pool size classes and fragmentation on top of the counted activations.</summary>
    public const double ActivationSlack = 1.25;

    /// <summary>Estimates <paramref name="directory"/> loaded with <paramref name="storage"/>.</summary>
    public static MemoryEstimate Estimate(string directory, WeightStorage storage = WeightStorage.AsStored, int textTokens = DefaultTextTokens)
    {
        var config = LlavaConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = WeightLoader.OpenSafetensors(directory);
        return Estimate(config, WeightBytes(checkpoint, storage), textTokens);
    }

    /// <summary>Estimates a model of <paramref name="config"/> whose weights take <paramref name="weightBytes"/>.</summary>
    public static MemoryEstimate Estimate(LlavaConfig config, long weightBytes, int textTokens = DefaultTextTokens)
    {
        int sequence = config.ImageTokenCount + textTokens;
        long fixedBytes = weightBytes + RuntimeBytes;
        long generate = fixedBytes + Slack(Math.Max(VisionLayerFloats(config.Vision), DecoderLayerFloats(config.Text, sequence))
            + KeyValueCacheFloats(config.Text, sequence + DefaultNewTokens) + config.Text.VocabSize);
        return new MemoryEstimate(weightBytes, sequence, generate, GradientTraceBytes(config, weightBytes, sequence, recompute: false),
            GradientTraceBytes(config, weightBytes, sequence, recompute: true));
    }

    /// <summary>
    /// Peak of a traced forward of <paramref name="batch"/> × <paramref name="sequence"/> tokens with gradients to every
    /// decoder attention map and its backward, weights included; <paramref name="recompute"/> keeps only layer inputs,
    /// the attention maps and their gradients, plus one re-run layer's graph at a time.
    /// </summary>
    public static long GradientTraceBytes(LlavaConfig config, long weightBytes, int sequence, bool recompute, int batch = 1)
    {
        var t = config.Text;
        long s = sequence, layers = t.NumLayers;
        long decoder = recompute
            ? (layers + 1) * s * t.HiddenSize + layers * 2L * t.NumHeads * s * s + 2 * TracedDecoderLayerFloats(t, s)
            : (layers + 1) * TracedDecoderLayerFloats(t, s);
        return weightBytes + RuntimeBytes + Slack(batch * (VisionLayerFloats(config.Vision) + decoder + s * t.VocabSize));
    }

    /// <summary>
    /// Bytes the weights take in memory: F16/BF16 matrices (2-D tensors other than position tables) at their stored size
    /// when kept as stored, every other tensor as float32.
    /// </summary>
    public static long WeightBytes(ISafetensorsReader checkpoint, WeightStorage storage)
    {
        long bytes = 0;
        foreach (var name in checkpoint.Names)
        {
            var info = checkpoint.Info(name);
            if (info.DType.IsInteger()) continue; // buffers such as position_ids are never loaded
            bool asStored = storage == WeightStorage.AsStored && WeightMatrix.IsHalfWidthType(info.DType) && info.Shape.Length == 2
                && !name.Contains("position_embedding", StringComparison.Ordinal);
            bytes += asStored ? info.ByteLength : info.ElementCount * sizeof(float);
        }
        return bytes;
    }

    private static long Slack(long floats) => (long)(floats * sizeof(float) * ActivationSlack);

    // One vision layer without a graph: residual, norm, q/k/v and their head-split copies, scores and probabilities, context, MLP.
    private static long VisionLayerFloats(VisionConfig v)
    {
        long t = v.SequenceLength, d = v.HiddenSize;
        return t * (4 * d + 6 * d + 2 * d) + 2L * v.NumHeads * t * t + 2 * t * v.IntermediateSize;
    }

    // One decoder layer without a graph over s tokens.
    private static long DecoderLayerFloats(TextConfig c, long s)
    {
        long qkv = (long)(c.NumHeads + 2 * c.NumKeyValueHeads) * c.HeadDim;
        return s * (4L * c.HiddenSize + 2 * qkv + 2L * c.NumHeads * c.HeadDim) + 2L * c.NumHeads * s * s + 3 * s * c.IntermediateSize;
    }

    // What a recorded decoder layer keeps for its backward: norm inputs/outputs and residuals, projections, head splits and
    // rotary outputs, scores, probabilities and the retained attention gradient, context, the MLP's gate, up and product.
    private static long TracedDecoderLayerFloats(TextConfig c, long s)
    {
        long qkv = (long)(c.NumHeads + 2 * c.NumKeyValueHeads) * c.HeadDim;
        return s * (8L * c.HiddenSize + 3 * qkv + 2L * c.NumHeads * c.HeadDim) + 3L * c.NumHeads * s * s + 3 * s * c.IntermediateSize;
    }

    private static long KeyValueCacheFloats(TextConfig c, long s) => 2L * c.NumLayers * c.NumKeyValueHeads * c.HeadDim * s;

    /// <summary>
    /// Bytes this process holds resident that are not file-backed (Linux RssAnon; elsewhere the working set). What this
    /// process may grow to is <see cref="AvailableBytes"/> plus these: its resident total would count memory-mapped
    /// weights twice, once as its own and once in MemAvailable's reclaimable page cache.
    /// </summary>
    public static long AnonymousResidentBytes() =>
        ProcKilobytes("/proc/self/status", "RssAnon:") ?? System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;

    /// <summary>Bytes of memory the machine can give a new process now (Linux MemAvailable; elsewhere what the GC may use).</summary>
    public static long AvailableBytes() =>
        ProcKilobytes("/proc/meminfo", "MemAvailable:") ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    // One "Key:   N kB" line of a /proc file, in bytes; null where the file or the key is missing (not Linux).
    private static long? ProcKilobytes(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
