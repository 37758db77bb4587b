using LvlmEval.Tensors;

namespace LvlmEval.Training;

/// <summary>
/// Seeded initial weights of a <see cref="TinyArchitecture"/> under the Hugging Face LLaVA key names (the
/// <c>language_model.model.*</c> / <c>vision_tower.*</c> layout of llava-hf checkpoints). Matrices and embeddings are
/// N(0, 0.02²) as transformers' <c>initializer_range</c>; residual output projections are scaled by 1/√(2·layers) so the
/// residual stream starts near unit scale; norms start at weight 1 and bias 0. The vision tower's patch position
/// embeddings start as 2-D sine–cosine codes of (row, column) (as in MAE, He et al. 2022; still trained): at 0.02 they
/// would be drowned by the patch content, and questions about where objects are need the tokens to know their place.
/// </summary>
public static class WeightInitializer
{
    private const float Std = 0.02f;

    /// <summary>Every tensor of the checkpoint, in a fixed order, drawn from <paramref name="seed"/>.</summary>
    public static List<(string Name, Tensor Tensor)> Create(TinyArchitecture a, int vocabSize, int seed)
    {
        a.Validate();
        var rng = new Random(seed);
        var list = new List<(string, Tensor)>();
        void Normal(string name, float std, params int[] shape) => list.Add((name, Ops.Mul(Tensor.Randn(rng, shape), std)));
        void Ones(string name, int n) => list.Add((name, Tensor.Full(1f, n)));
        void Zeros(string name, int n) => list.Add((name, Tensor.Zeros(n)));
        void Linear(string name, int inF, int outF, bool bias, float std = Std)
        {
            Normal(name + ".weight", std, outF, inF);
            if (bias) Zeros(name + ".bias", outF);
        }
        void LayerNorm(string name, int n) { Ones(name + ".weight", n); Zeros(name + ".bias", n); }

        const string tower = "vision_tower.vision_model.";
        int dv = a.VisionHidden, dt = a.TextHidden;
        float visionResidual = Std / MathF.Sqrt(2 * a.VisionLayers), textResidual = Std / MathF.Sqrt(2 * a.TextLayers);
        Normal(tower + "embeddings.class_embedding", Std, dv);
        Normal(tower + "embeddings.patch_embedding.weight", Std, dv, 3, a.PatchSize, a.PatchSize);
        list.Add((tower + "embeddings.position_embedding.weight", GridPositionCodes(a.GridSide, dv, rng)));
        LayerNorm(tower + "pre_layrnorm", dv);
        for (int i = 0; i < a.VisionLayers; i++)
        {
            var p = $"{tower}encoder.layers.{i}.";
            LayerNorm(p + "layer_norm1", dv);
            foreach (var n in new[] { "q_proj", "k_proj", "v_proj" }) Linear(p + "self_attn." + n, dv, dv, true);
            Linear(p + "self_attn.out_proj", dv, dv, true, visionResidual);
            LayerNorm(p + "layer_norm2", dv);
            Linear(p + "mlp.fc1", dv, a.VisionIntermediate, true);
            Linear(p + "mlp.fc2", a.VisionIntermediate, dv, true, visionResidual);
        }
        // Part of CLIPVisionModel's checkpoint although LLaVA never runs it.
        LayerNorm(tower + "post_layernorm", dv);
        Linear("multi_modal_projector.linear_1", dv, dt, true);
        Linear("multi_modal_projector.linear_2", dt, dt, true);
        const string lm = "language_model.model.";
        Normal(lm + "embed_tokens.weight", Std, vocabSize, dt);
        int hd = dt / a.TextHeads;
        for (int i = 0; i < a.TextLayers; i++)
        {
            var p = $"{lm}layers.{i}.";
            Ones(p + "input_layernorm.weight", dt);
            foreach (var n in new[] { "q_proj", "k_proj", "v_proj" }) Linear(p + "self_attn." + n, dt, a.TextHeads * hd, false);
            Linear(p + "self_attn.o_proj", a.TextHeads * hd, dt, false, textResidual);
            Ones(p + "post_attention_layernorm.weight", dt);
            Linear(p + "mlp.gate_proj", dt, a.TextIntermediate, false);
            Linear(p + "mlp.up_proj", dt, a.TextIntermediate, false);
            Linear(p + "mlp.down_proj", a.TextIntermediate, dt, false, textResidual);
        }
        Ones(lm + "norm.weight", dt);
        Linear("language_model.lm_head", dt, vocabSize, false);
        return list;
    }

    /// <summary>
    /// [1 + side², d]: the class token's row drawn N(0, 0.02²); patch (r, c)'s row holds sin/cos of r at geometric
    /// frequencies in its first half and of c in its second, so rows and columns are linearly readable.
    /// </summary>
    public static Tensor GridPositionCodes(int side, int d, Random rng)
    {
        var codes = new float[(1 + side * side) * d];
        Ops.Mul(Tensor.Randn(rng, d), Std).Data.CopyTo(codes);
        int half = d / 2, pairs = Math.Max(1, half / 2);
        for (int p = 0; p < side * side; p++)
        {
            var row = codes.AsSpan((1 + p) * d, d);
            for (int j = 0; j < 2 * half; j++)
            {
                double coordinate = j < half ? p / side : p % side;
                int k = j % half;
                double frequency = Math.Pow(100.0, -(double)(k / 2) / pairs);
                row[j] = (float)(k % 2 == 0 ? Math.Sin(coordinate * frequency) : Math.Cos(coordinate * frequency));
            }
        }
        return new Tensor(codes, 1 + side * side, d);
    }
}
