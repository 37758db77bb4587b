using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Tensors.Blocks;

namespace LvlmEval.Tests.Tensors;

/// <summary>Composite blocks built from the engine's ops match PyTorch forward and every parameter gradient.</summary>
public sealed class BlockParityTests
{
    [TestCase(1, 6, 32, 4, 4, 48, TestName = "Llama block, multi-head")]
    [TestCase(2, 7, 48, 6, 2, 80, TestName = "Llama block, grouped-query heads")]
    public void LlamaBlockMatchesTorch(int batch, int seq, int hidden, int heads, int kvHeads, int intermediate)
    {
        var rng = new Random(7);
        var block = new LlamaBlock(hidden, heads, kvHeads, intermediate, rng);
        var x = Tensor.Randn(rng, batch, seq, hidden);
        x.RequiresGrad = true;
        var upstream = Tensor.Randn(rng, batch, seq, hidden);
        var positions = Enumerable.Range(0, seq).ToArray();
        var (cos, sin) = RotaryTables.Compute(positions, RotaryTables.DefaultInverseFrequencies(hidden / heads, 10000f));

        Tensor y;
        using (Autograd.Enable())
        {
            y = block.Forward(x, cos, sin);
            y.Backward(upstream);
        }

        var reference = RunOracle("llama", new
        {
            heads, kv_heads = kvHeads, eps = (double)block.RmsEps, theta = 10000.0,
            @params = block.Parameters.ToDictionary(p => p.Key, p => Entry(p.Value)),
            input = Entry(x),
            upstream = upstream.ToArray().Select(v => (double)v),
        });
        TensorAssert.Close(y.Data, reference.Out, 1e-5, "block output");
        TensorAssert.Close(x.Grad!.Data, reference.InputGrad, 2e-5, "input gradient");
        foreach (var (name, p) in block.Parameters)
            TensorAssert.Close(p.Grad!.Data, reference.Grads[name], 2e-5, $"gradient of {name}");
    }

    [Test]
    public void TwoLayerMlpLossAndGradientsMatchTorch()
    {
        var rng = new Random(11);
        var mlp = new TwoLayerMlp(10, 32, 5, rng);
        var x = Tensor.Randn(rng, 16, 10);
        x.RequiresGrad = true;
        var targets = Enumerable.Range(0, 16).Select(_ => rng.Next(5)).ToArray();
        Tensor loss;
        using (Autograd.Enable())
        {
            loss = Ops.CrossEntropy(mlp.Forward(x), targets);
            loss.Backward();
        }
        var reference = RunOracle("mlp", new
        {
            @params = mlp.Parameters.ToDictionary(p => p.Key, p => Entry(p.Value)),
            input = Entry(x),
            targets,
        });
        TensorAssert.Close([loss.Item()], reference.Out, 1e-6, "loss");
        TensorAssert.Close(x.Grad!.Data, reference.InputGrad, 2e-5, "input gradient");
        foreach (var (name, p) in mlp.Parameters)
            TensorAssert.Close(p.Grad!.Data, reference.Grads[name], 2e-5, $"gradient of {name}");
    }

    private static object Entry(Tensor t) => new { shape = t.Shape, data = t.ToArray().Select(v => (double)v) };

    private static BlockResult RunOracle(string kind, object spec)
    {
        using var dir = new TempDir("block-oracle");
        File.WriteAllText(dir.File("spec.json"), JsonSerializer.Serialize(spec));
        PythonOracle.Run("block_oracle.py", kind, dir.File("spec.json"), dir.File("out.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.json")));
        var root = doc.RootElement;
        double[] Arr(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return new BlockResult(Arr(root.GetProperty("out")), Arr(root.GetProperty("input_grad")),
            root.GetProperty("grads").EnumerateObject().ToDictionary(p => p.Name, p => Arr(p.Value)));
    }

    private sealed record BlockResult(double[] Out, double[] InputGrad, Dictionary<string, double[]> Grads);
}
