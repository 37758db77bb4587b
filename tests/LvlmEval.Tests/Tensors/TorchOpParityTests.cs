using System.Text.Json;
using System.Text.Json.Serialization;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Tensors;

/// <summary>
/// Every op's forward and backward against PyTorch float32 autograd, and its backward against float64 central
/// differences of the same function (computed by the oracle without autograd). One oracle run serves all cases.
/// </summary>
[TestFixture]
public sealed class TorchOpParityTests
{
    private const double ForwardTolerance = 1e-5;
    private const double AutogradTolerance = 2e-5;
    private const double FiniteDifferenceTolerance = 1e-4;

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly Dictionary<string, float[][]> _inputs = new();
    private readonly Dictionary<string, float[]> _upstream = new();
    private Dictionary<string, OracleResult> _reference = new();

    public static IEnumerable<OpCase> Cases => OpCases.All;

    [OneTimeSetUp]
    public void RunOracle()
    {
        var payload = new List<object>();
        for (int i = 0; i < OpCases.All.Count; i++)
        {
            var c = OpCases.All[i];
            var rng = new Random(1000 + i);
            var inputs = c.Inputs.Select(s => s.Draw(rng)).ToArray();
            _inputs[c.Id] = inputs;
            var output = Compute(c, inputs, withGrad: false).Output;
            _upstream[c.Id] = Tensor.Randn(rng, output.Length).ToArray();
            payload.Add(new
            {
                id = c.Id, op = c.Op, @params = c.Params, fd = c.FiniteDifferences,
                inputs = c.Inputs.Select((s, k) => new { shape = s.Shape, data = inputs[k].Select(v => (double)v), grad = s.Grad }),
                upstream = _upstream[c.Id].Select(v => (double)v),
            });
        }
        using var dir = new TempDir("ops-oracle");
        File.WriteAllText(dir.File("cases.json"), JsonSerializer.Serialize(payload, Json));
        PythonOracle.Run("tensor_ops_oracle.py", dir.File("cases.json"), dir.File("out.json"));
        _reference = JsonSerializer.Deserialize<Dictionary<string, OracleResult>>(File.ReadAllText(dir.File("out.json")), Json)!;
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardMatchesTorch(OpCase c)
    {
        var reference = _reference[c.Id];
        var (output, _) = Compute(c, _inputs[c.Id], withGrad: false);
        Assert.That(output.Shape, Is.EqualTo(reference.OutShape), $"{c.Id}: output shape");
        TensorAssert.Close(output.Data, reference.Out, ForwardTolerance, $"{c.Id} forward");
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardMatchesTorchAutograd(OpCase c)
    {
        var reference = _reference[c.Id];
        var (_, grads) = Compute(c, _inputs[c.Id], withGrad: true, _upstream[c.Id]);
        for (int k = 0; k < c.Inputs.Length; k++)
        {
            if (!c.Inputs[k].Grad) continue;
            Assert.That(grads[k], Is.Not.Null, $"{c.Id}: no gradient reached input {k}");
            TensorAssert.Close(grads[k]!.Data, reference.Grads[k]!, AutogradTolerance, $"{c.Id} gradient of input {k}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(OpCase c)
    {
        var reference = _reference[c.Id];
        if (reference.Fd is null) Assert.Ignore("no finite differences for this case");
        var (_, grads) = Compute(c, _inputs[c.Id], withGrad: true, _upstream[c.Id]);
        for (int k = 0; k < c.Inputs.Length; k++)
        {
            var fd = reference.Fd[k];
            if (fd is null) continue;
            var ours = fd.Indices.Select(i => grads[k]!.Data[i]).ToArray();
            TensorAssert.Close(ours, fd.Values, FiniteDifferenceTolerance, $"{c.Id} gradient of input {k} vs float64 finite differences");
        }
    }

    private static (Tensor Output, Tensor?[] Grads) Compute(OpCase c, float[][] inputs, bool withGrad, float[]? upstream = null)
    {
        var tensors = c.Inputs.Select((s, k) => new Tensor((float[])inputs[k].Clone(), s.Shape) { RequiresGrad = withGrad && s.Grad }).ToArray();
        if (!withGrad || !c.Inputs.Any(s => s.Grad)) return (c.Ours(tensors), new Tensor?[tensors.Length]);
        using (Autograd.Enable())
        {
            var output = c.Ours(tensors);
            output.Backward(new Tensor(upstream!, output.Shape));
            return (output, tensors.Select(t => t.Grad).ToArray());
        }
    }

    private sealed record OracleResult(
        [property: JsonPropertyName("out_shape")] int[] OutShape,
        [property: JsonPropertyName("out")] double[] Out,
        [property: JsonPropertyName("grads")] double[]?[] Grads,
        [property: JsonPropertyName("fd")] FiniteDifference?[]? Fd);

    private sealed record FiniteDifference(
        [property: JsonPropertyName("indices")] int[] Indices,
        [property: JsonPropertyName("values")] double[] Values);
}
