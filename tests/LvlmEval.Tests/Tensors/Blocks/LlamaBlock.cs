using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors.Blocks;

/// <summary>
/// A Llama decoder block written with the engine's ops (RMSNorm, RoPE, grouped-query causal attention, SwiGLU MLP),
/// used by the PyTorch parity test and the block benchmark.
/// </summary>
public sealed class LlamaBlock
{
    public int Hidden { get; }
    public int Heads { get; }
    public int KvHeads { get; }
    public int HeadDim => Hidden / Heads;
    public float RmsEps { get; } = 1e-6f;

    /// <summary>Parameters by the Hugging Face name of the layer's tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters { get; }

    public LlamaBlock(int hidden, int heads, int kvHeads, int intermediate, Random rng)
    {
        Hidden = hidden; Heads = heads; KvHeads = kvHeads;
        int kvDim = kvHeads * (hidden / heads);
        Tensor W(int rows, int cols) => Tensor.Randn(rng, rows, cols) * (1f / MathF.Sqrt(cols));
        Tensor Norm() => Tensor.Full(1f, hidden) + Tensor.Randn(rng, hidden) * 0.1f;
        Parameters = new Dictionary<string, Tensor>
        {
            ["input_layernorm.weight"] = Norm(),
            ["self_attn.q_proj.weight"] = W(hidden, hidden),
            ["self_attn.k_proj.weight"] = W(kvDim, hidden),
            ["self_attn.v_proj.weight"] = W(kvDim, hidden),
            ["self_attn.o_proj.weight"] = W(hidden, hidden),
            ["post_attention_layernorm.weight"] = Norm(),
            ["mlp.gate_proj.weight"] = W(intermediate, hidden),
            ["mlp.up_proj.weight"] = W(intermediate, hidden),
            ["mlp.down_proj.weight"] = W(hidden, intermediate),
        };
        foreach (var p in Parameters.Values) p.RequiresGrad = true;
    }

    private Tensor P(string name) => Parameters[name];

    /// <summary>x [B, S, hidden] → [B, S, hidden]; cos/sin [S, headDim].</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin)
    {
        int b = x.Dim(0), s = x.Dim(1), d = HeadDim;
        var h = Ops.RmsNorm(x, P("input_layernorm.weight"), RmsEps);
        Tensor Heads(Tensor t, int n) => Ops.Transpose(Ops.Reshape(t, b, s, n, d), 1, 2);
        var q = Ops.Rope(Heads(Ops.Linear(h, P("self_attn.q_proj.weight")), this.Heads), cos, sin);
        var k = Ops.Rope(Heads(Ops.Linear(h, P("self_attn.k_proj.weight")), KvHeads), cos, sin);
        var v = Heads(Ops.Linear(h, P("self_attn.v_proj.weight")), KvHeads);
        var context = Ops.ScaledDotProductAttention(q, k, v, causal: true).Output;
        var merged = Ops.Reshape(Ops.Transpose(context, 1, 2), b, s, Hidden);
        x = x + Ops.Linear(merged, P("self_attn.o_proj.weight"));
        var m = Ops.RmsNorm(x, P("post_attention_layernorm.weight"), RmsEps);
        var gated = Ops.Silu(Ops.Linear(m, P("mlp.gate_proj.weight"))) * Ops.Linear(m, P("mlp.up_proj.weight"));
        return x + Ops.Linear(gated, P("mlp.down_proj.weight"));
    }
}
