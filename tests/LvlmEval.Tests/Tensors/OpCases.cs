using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors;

/// <summary>The table of ops and shapes compared with PyTorch (forward, autograd, finite differences).</summary>
public static class OpCases
{
    private static InputSpec In(params int[] shape) => new(shape);
    private static InputSpec Pos(params int[] shape) => new(shape, Kind: InputKind.Positive);
    private static InputSpec Away(params int[] shape) => new(shape, Kind: InputKind.AwayFromZero);
    private static InputSpec Wide(params int[] shape) => new(shape, Kind: InputKind.Wide);
    private static InputSpec Const(float[] values, params int[] shape) => new(shape, Grad: false, Kind: InputKind.Fixed, Values: values);
    private static InputSpec NoGrad(params int[] shape) => new(shape, Grad: false);
    private static readonly object None = new { };

    /// <summary>All cases, in a fixed order.</summary>
    public static IReadOnlyList<OpCase> All { get; } = Build();

    private static List<OpCase> Build()
    {
        var cases = new List<OpCase>();
        void Add(string id, string op, object p, Func<Tensor[], Tensor> ours, params InputSpec[] inputs) => cases.Add(new OpCase(id, op, p, inputs, ours));

        // Broadcasting arithmetic.
        Add("add_same", "add", None, t => t[0] + t[1], In(3, 4), In(3, 4));
        Add("add_row", "add", None, t => t[0] + t[1], In(2, 3, 4), In(4));
        Add("add_outer", "add", None, t => t[0] + t[1], In(2, 1, 4), In(3, 1));
        Add("add_scalar_tensor", "add", None, t => t[0] + t[1], In(5), In());
        Add("sub_mid", "sub", None, t => t[0] - t[1], In(2, 3, 4), In(2, 1, 4));
        Add("sub_lead", "sub", None, t => t[0] - t[1], In(4), In(3, 4));
        Add("mul_same", "mul", None, t => t[0] * t[1], In(3, 4), In(3, 4));
        Add("mul_col", "mul", None, t => t[0] * t[1], In(2, 3, 4), In(2, 3, 1));
        Add("div_same", "div", None, t => t[0] / t[1], In(3, 4), Away(3, 4));
        Add("div_row", "div", None, t => t[0] / t[1], In(2, 3, 4), Away(4));
        Add("div_bcast_both", "div", None, t => t[0] / t[1], In(3, 1), Away(1, 4));

        // The fused SwiGLU gate over more than one kernel chunk (512) and a vector tail.
        Add("silu_mul_long", "silu_mul", None, t => Ops.SiluMul(t[0], t[1]), Wide(3, 701), In(3, 701));

        // Scalar ops.
        Add("add_scalar", "add_scalar", new { c = 1.5 }, t => t[0] + 1.5f, In(3, 5));
        Add("mul_scalar", "mul_scalar", new { c = -2.5 }, t => t[0] * -2.5f, In(3, 5));
        Add("div_scalar", "div_scalar", new { c = 3.0 }, t => t[0] / 3f, In(3, 5));
        Add("rsub_scalar", "rsub_scalar", new { c = 2.0 }, t => 2f - t[0], In(3, 5));
        Add("rdiv_scalar", "rdiv_scalar", new { c = 2.0 }, t => 2f / t[0], Away(3, 5));
        Add("pow_scalar", "pow_scalar", new { c = 2.5 }, t => Ops.Pow(t[0], 2.5f), Pos(3, 5));

        // Elementwise functions, on two shapes each.
        foreach (var shape in new[] { new[] { 7, 13 }, new[] { 3, 5, 8 } })
        {
            string s = string.Join("x", shape);
            Add($"neg_{s}", "neg", None, t => -t[0], In(shape));
            Add($"exp_{s}", "exp", None, t => Ops.Exp(t[0]), In(shape));
            Add($"log_{s}", "log", None, t => Ops.Log(t[0]), Pos(shape));
            Add($"sqrt_{s}", "sqrt", None, t => Ops.Sqrt(t[0]), Pos(shape));
            Add($"tanh_{s}", "tanh", None, t => Ops.Tanh(t[0]), Wide(shape));
            Add($"sigmoid_{s}", "sigmoid", None, t => Ops.Sigmoid(t[0]), Wide(shape));
            Add($"relu_{s}", "relu", None, t => Ops.Relu(t[0]), In(shape));
            Add($"silu_{s}", "silu", None, t => Ops.Silu(t[0]), Wide(shape));
            Add($"silu_mul_{s}", "silu_mul", None, t => Ops.SiluMul(t[0], t[1]), Wide(shape), In(shape));
            Add($"gelu_{s}", "gelu", None, t => Ops.Gelu(t[0]), Wide(shape));
            Add($"gelu_tanh_{s}", "gelu_tanh", None, t => Ops.GeluTanh(t[0]), Wide(shape));
            Add($"quick_gelu_{s}", "quick_gelu", None, t => Ops.QuickGelu(t[0]), Wide(shape));
        }

        // Matrix products.
        Add("matmul_2d", "matmul", None, t => Ops.MatMul(t[0], t[1]), In(5, 7), In(7, 3));
        Add("matmul_shared_right", "matmul", None, t => Ops.MatMul(t[0], t[1]), In(2, 5, 7), In(7, 3));
        Add("matmul_batched", "matmul", None, t => Ops.MatMul(t[0], t[1]), In(2, 3, 5, 7), In(2, 3, 7, 4));
        Add("matmul_broadcast_batch", "matmul", None, t => Ops.MatMul(t[0], t[1]), In(2, 1, 5, 7), In(3, 7, 4));
        cases.Add(new OpCase("matmul_into", "matmul", None, [NoGrad(2, 5, 7), NoGrad(7, 3)], t => Ops.MatMulInto(t[0], t[1], Tensor.Full(9f, 2, 5, 3)), FiniteDifferences: false));
        Add("linear_bias", "linear", None, t => Ops.Linear(t[0], t[1], t[2]), In(4, 6), In(5, 6), In(5));
        Add("linear_3d_nobias", "linear", None, t => Ops.Linear(t[0], t[1]), In(2, 3, 6), In(5, 6));

        // Layout.
        Add("permute_swap_mid", "permute", new { axes = new[] { 0, 2, 1, 3 } }, t => Ops.Permute(t[0], 0, 2, 1, 3), In(2, 3, 4, 5));
        Add("permute_scramble", "permute", new { axes = new[] { 3, 1, 0, 2 } }, t => Ops.Permute(t[0], 3, 1, 0, 2), In(2, 3, 4, 5));
        Add("transpose_2d", "transpose", new { a = 0, b = 1 }, t => Ops.Transpose(t[0], 0, 1), In(4, 5));
        Add("transpose_last", "transpose", new { a = 1, b = 2 }, t => Ops.Transpose(t[0], 1, 2), In(2, 3, 4));
        Add("reshape_infer", "reshape", new { shape = new[] { 6, -1 } }, t => Ops.Reshape(t[0], 6, -1), In(2, 3, 4));
        Add("narrow_axis0", "narrow", new { axis = 0, start = 1, length = 2 }, t => Ops.Narrow(t[0], 0, 1, 2), In(4, 5, 6));
        Add("narrow_axis1", "narrow", new { axis = 1, start = 2, length = 2 }, t => Ops.Narrow(t[0], 1, 2, 2), In(4, 5, 6));
        Add("narrow_last", "narrow", new { axis = 2, start = 3, length = 3 }, t => Ops.Narrow(t[0], -1, 3, 3), In(4, 5, 6));
        Add("select_mid", "select", new { axis = 1, index = 2 }, t => Ops.Select(t[0], 1, 2), In(3, 4, 5));
        Add("concat_last", "concat", new { axis = 1 }, t => Ops.Concat(t, 1), In(2, 3), In(2, 5));
        Add("concat_first", "concat", new { axis = 0 }, t => Ops.Concat(t, 0), In(2, 3), In(4, 3));
        Add("concat_three", "concat", new { axis = -1 }, t => Ops.Concat(t, -1), In(2, 2, 1), In(2, 2, 3), In(2, 2, 2));
        Add("index_select_rows", "index_select", new { axis = 0, indices = new[] { 4, 0, 0, 2 } }, t => Ops.IndexSelect(t[0], 0, [4, 0, 0, 2]), In(5, 4));
        Add("index_select_mid", "index_select", new { axis = 1, indices = new[] { 1, 3 } }, t => Ops.IndexSelect(t[0], 1, [1, 3]), In(3, 5, 2));
        Add("embedding", "embedding", new { ids = new[] { 1, 2, 3, 9, 0, 1 }, ids_shape = new[] { 2, 3 } },
            t => Ops.Embedding(t[0], [1, 2, 3, 9, 0, 1], 2, 3), In(10, 6));

        // Reductions.
        foreach (var (axis, keep) in new[] { (0, false), (1, true), (-1, false) })
        {
            Add($"sum_{axis}_{keep}", "sum", new { axis, keep }, t => Ops.Sum(t[0], axis, keep), In(3, 4, 5));
            Add($"mean_{axis}_{keep}", "mean", new { axis, keep }, t => Ops.Mean(t[0], axis, keep), In(3, 4, 5));
            Add($"max_{axis}_{keep}", "max", new { axis, keep }, t => Ops.Max(t[0], axis, keep), In(3, 4, 5));
        }
        Add("sum_all", "sum_all", None, t => Ops.Sum(t[0]), In(3, 4));
        Add("mean_all", "mean_all", None, t => Ops.Mean(t[0]), In(3, 4));

        // Softmax family (Wide inputs scaled further to exercise max subtraction).
        Add("softmax_last", "softmax", new { axis = -1 }, t => Ops.Softmax(t[0], -1), In(3, 5, 7));
        Add("softmax_mid", "softmax", new { axis = 1 }, t => Ops.Softmax(t[0], 1), In(3, 5, 7));
        Add("softmax_large_logits", "softmax", new { axis = -1, scale = 10.0 }, t => Ops.Softmax(t[0] * 10f, -1), Wide(4, 9));
        Add("log_softmax_last", "log_softmax", new { axis = -1 }, t => Ops.LogSoftmax(t[0], -1), Wide(3, 5, 7));
        Add("log_softmax_first", "log_softmax", new { axis = 0 }, t => Ops.LogSoftmax(t[0], 0), In(4, 6));

        // Normalisation.
        Add("layer_norm_affine", "layer_norm", new { eps = 1e-5 }, t => Ops.LayerNorm(t[0], t[1], t[2], 1e-5f), Wide(4, 8), In(8), In(8));
        Add("layer_norm_plain", "layer_norm", new { eps = 1e-6 }, t => Ops.LayerNorm(t[0], null, null, 1e-6f), In(2, 3, 16));
        Add("rms_norm", "rms_norm", new { eps = 1e-6 }, t => Ops.RmsNorm(t[0], t[1], 1e-6f), Wide(2, 5, 16), In(16));

        // Rotary embedding with tables from positions 3..7 (cos and sin are fixed inputs).
        var (cos, sin) = RotaryTables.Compute([3, 4, 5, 6, 7], RotaryTables.DefaultInverseFrequencies(8, 10000f));
        Add("rope", "rope", None, t => Ops.Rope(t[0], t[1], t[2]), In(2, 3, 5, 8), Const(cos.ToArray(), 5, 8), Const(sin.ToArray(), 5, 8));

        // Attention (grouped-query heads, causal, cached prefix, additive mask, probabilities).
        Add("attention_gqa_causal", "attention", new { causal = true }, t => Ops.ScaledDotProductAttention(t[0], t[1], t[2], causal: true).Output,
            In(1, 4, 5, 8), In(1, 2, 5, 8), In(1, 2, 5, 8));
        Add("attention_cached_causal", "attention", new { causal = true }, t => Ops.ScaledDotProductAttention(t[0], t[1], t[2], causal: true).Output,
            In(2, 2, 3, 4), In(2, 2, 6, 4), In(2, 2, 6, 4));
        Add("attention_masked", "attention", new { causal = false, scale = 0.3 }, t => Ops.ScaledDotProductAttention(t[0], t[1], t[2], causal: false, t[3], 0.3f).Output,
            In(1, 2, 4, 6), In(1, 1, 5, 6), In(1, 1, 5, 3), NoGrad(1, 1, 4, 5));
        Add("attention_probs", "attention", new { causal = true, output = "probs" }, t => Ops.ScaledDotProductAttention(t[0], t[1], t[2], causal: true).Probabilities,
            In(1, 2, 4, 4), In(1, 2, 4, 4), NoGrad(1, 2, 4, 4));

        // Raw causal scores with an arbitrary upstream gradient (also on masked entries, which must not leak into q, k).
        cases.Add(new OpCase("attention_scores_causal", "attention_scores", new { scale = 0.5 }, [In(1, 4, 3, 4), In(1, 2, 5, 4)],
            t => Ops.AttentionScores(t[0], t[1], 0.5f, causal: true), FiniteDifferences: false));

        // Patchify convolution.
        Add("conv2d_patchify", "conv2d_patchify", None, t => Ops.Conv2dPatchify(t[0], t[1], t[2]), In(2, 3, 8, 8), In(4, 3, 4, 4), In(4));
        Add("conv2d_patchify_remainder", "conv2d_patchify", None, t => Ops.Conv2dPatchify(t[0], t[1]), In(1, 3, 10, 9), In(5, 3, 3, 3));
        Add("patch_embed", "patch_embed", None, t => Ops.PatchEmbed(t[0], t[1], t[2]), In(2, 3, 6, 6), In(4, 3, 3, 3), In(4));

        // Loss.
        Add("cross_entropy", "cross_entropy", new { targets = new[] { 0, 4, -100, 2, 2, 1 } }, t => Ops.CrossEntropy(t[0], [0, 4, -100, 2, 2, 1]), Wide(6, 5));
        return cases;
    }
}
