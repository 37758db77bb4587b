using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>
/// The training loss of the shipped model on a batch of Shapes questions and its gradient at every weight match a
/// float64 PyTorch computation on the same files (tests/oracles/training_loss_oracle.py).
/// </summary>
public sealed class TrainingGradientTests
{
    [Test]
    public void LossAndWeightGradientsMatchTorch()
    {
        using var dir = new TempDir("train-grad");
        var model = LlavaModel.Load(ShippedModels.Folder(ShippedModels.Standard));
        var options = new TrainingOptions { OutputDirectory = dir.File("unused"), Seed = 11 };
        var examples = TrainingExamples.Build(model, options, scenes: 12);
        var batch = examples.GroupBy(e => e.PromptIds.Length).OrderByDescending(g => g.Count()).First().Take(3).ToList();
        Assert.That(batch, Has.Count.GreaterThanOrEqualTo(2), "a batch of equal-length prompts");
        var (ids, pixels, targets, from) = TinyLlavaTrainer.Assemble(model, batch);

        foreach (var (_, t) in model.Parameters) t.RequiresGrad = true;
        Tensor loss;
        using (Autograd.Enable())
        {
            loss = TinyLlavaTrainer.Loss(model, ids, pixels, targets, from);
            loss.Backward();
        }

        var spec = ReferenceBatchSpec.Create(dir.Path, ids, pixels, targets, from);
        File.WriteAllText(dir.File("spec.json"), spec.ToJsonString());
        PythonOracle.Run("training_loss_oracle.py", "run", ShippedModels.Folder(ShippedModels.Standard), dir.File("spec.json"), dir.File("out"));

        double expectedLoss = double.Parse(File.ReadAllText(dir.File("out/loss.json")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(loss.Item(), Is.EqualTo(expectedLoss).Within(1e-4 * Math.Max(1, Math.Abs(expectedLoss))), "loss");
        int compared = 0;
        foreach (var (name, tensor) in model.Parameters)
        {
            var file = dir.File($"out/grad/{name}.bin");
            Assert.That(File.Exists(file), Is.True, $"PyTorch has a gradient for {name}");
            var raw = File.ReadAllBytes(file);
            var expected = new double[raw.Length / 8];
            Buffer.BlockCopy(raw, 0, expected, 0, raw.Length);
            Assert.That(tensor.Grad, Is.Not.Null, $"gradient of {name}");
            // Attention is invariant to a key bias (it shifts every score of a query alike), so that gradient is zero up to
            // rounding in both; compare it on the scale of the layer's other gradients instead of relative to itself.
            if (name.EndsWith("k_proj.bias", StringComparison.Ordinal))
                Assert.That(Norm(tensor.Grad!.Data), Is.LessThan(1e-4 * Norm(model.Parameters.First(p => p.Name == name.Replace("k_proj.bias", "q_proj.bias")).Tensor.Grad!.Data) + 1e-12), $"gradient of {name} is zero");
            else
                TensorAssert.Close(tensor.Grad!.Data, expected, 1e-3, $"gradient of {name}");
            compared++;
        }
        Assert.That(compared, Is.EqualTo(model.Parameters.Count));
    }

    private static double Norm(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (var v in values) s += (double)v * v;
        return Math.Sqrt(s);
    }
}
