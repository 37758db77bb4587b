using LvlmEval.Models.Config;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Text;

/// <summary>
/// Cos/sin tables for the decoder's rotary embedding, with transformers' <c>rope_scaling</c> variants: linear divides
/// the inverse frequencies by the factor; dynamic NTK recomputes them with a larger base once a forward's largest
/// position reaches <c>max_position_embeddings</c> (per call, as transformers' dynamic update does).
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly TextConfig _config;
    private readonly float[] _baseInverseFrequencies;

    /// <summary>Creates the tables' frequencies from the text config.</summary>
    public RotaryEmbedding(TextConfig config)
    {
        _config = config;
        _baseInverseFrequencies = InverseFrequencies(config.RopeTheta);
        if (config.RopeScaling is { Kind: RopeScalingKind.Linear } linear)
            for (int i = 0; i < _baseInverseFrequencies.Length; i++) _baseInverseFrequencies[i] = (float)(_baseInverseFrequencies[i] / linear.Factor);
    }

    /// <summary>cos and sin [positions, head_dim] for the given absolute positions.</summary>
    public (Tensor Cos, Tensor Sin) Tables(ReadOnlySpan<int> positions)
    {
        var inverse = _baseInverseFrequencies;
        if (_config.RopeScaling is { Kind: RopeScalingKind.Dynamic } dynamic)
        {
            int seqLen = 0;
            foreach (int p in positions) seqLen = Math.Max(seqLen, p + 1);
            if (seqLen > _config.MaxPositionEmbeddings)
            {
                int dim = _config.HeadDim;
                double ratio = dynamic.Factor * seqLen / _config.MaxPositionEmbeddings - (dynamic.Factor - 1);
                inverse = InverseFrequencies(_config.RopeTheta * Math.Pow(ratio, dim / (dim - 2.0)));
            }
        }
        return RotaryTables.Compute(positions, inverse);
    }

    // transformers: 1 / base ** (arange(0, dim, 2, int64).float() / dim), evaluated in float32.
    private float[] InverseFrequencies(double theta)
    {
        int dim = _config.HeadDim;
        var inv = new float[dim / 2];
        float baseF = (float)theta;
        for (int i = 0; i < inv.Length; i++) inv[i] = 1f / MathF.Pow(baseF, 2 * i / (float)dim);
        return inv;
    }
}
