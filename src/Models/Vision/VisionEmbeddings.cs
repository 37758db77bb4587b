using LvlmEval.Models.Config;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Vision;

/// <summary>
/// Patch embeddings plus learned positions. CLIP prepends a class embedding and its patch convolution has no bias;
/// SigLIP has no class token and a biased convolution.
/// </summary>
public sealed class VisionEmbeddings
{
    private readonly VisionConfig _config;
    private readonly Tensor _patchWeight;
    private readonly Tensor? _patchBias;
    private readonly Tensor? _classEmbedding;
    private readonly Tensor _positions;

    /// <summary>Loads <c>{path}.patch_embedding</c>, <c>position_embedding</c> and (CLIP) <c>class_embedding</c>.</summary>
    public VisionEmbeddings(WeightPath path, VisionConfig config)
    {
        _config = config;
        int d = config.HiddenSize, p = config.PatchSize;
        bool clip = config.Family == VisionModelFamily.Clip;
        _patchWeight = path.Get("patch_embedding.weight", d, config.NumChannels, p, p);
        _patchBias = path.GetIf(!clip, "patch_embedding.bias", d);
        _classEmbedding = path.GetIf(clip, "class_embedding", d);
        _positions = path.Get("position_embedding.weight", config.SequenceLength, d);
    }

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _patchWeight.Length + (_patchBias?.Length ?? 0) + (_classEmbedding?.Length ?? 0) + _positions.Length;

    /// <summary>pixels [B, C, H, W] → [B, T, D].</summary>
    public Tensor Forward(Tensor pixels)
    {
        if (pixels.Rank != 4 || pixels.Dim(1) != _config.NumChannels || pixels.Dim(2) != _config.ImageSize || pixels.Dim(3) != _config.ImageSize)
            throw new ArgumentException($"Vision tower expects pixels [B, {_config.NumChannels}, {_config.ImageSize}, {_config.ImageSize}], got {ShapeUtil.Format(pixels.Shape)}.");
        var patches = Ops.PatchEmbed(pixels, _patchWeight, _patchBias);
        if (_classEmbedding is not null)
        {
            int b = pixels.Dim(0), d = _config.HiddenSize;
            var cls = Ops.Reshape(_classEmbedding, 1, 1, d);
            var clsBatch = b == 1 ? cls : Ops.Concat(Enumerable.Repeat(cls, b).ToArray(), 0);
            patches = Ops.Concat([clsBatch, patches], 1);
        }
        return Ops.Add(patches, _positions);
    }
}
