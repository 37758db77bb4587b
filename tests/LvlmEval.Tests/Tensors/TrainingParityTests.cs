using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Optim;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Tensors.Blocks;

namespace LvlmEval.Tests.Tensors;

/// <summary>Training a two-layer MLP with AdamW and gradient clipping follows PyTorch's loss curve from the same initialisation.</summary>
public sealed class TrainingParityTests
{
    [Test]
    public void MlpWithAdamWConvergesLikePyTorch()
    {
        const int steps = 50, samples = 64, features = 8, classes = 3;
        const float lr = 1e-2f, weightDecay = 1e-2f, maxNorm = 1f;
        var rng = new Random(21);
        // Toy task: the class is the index of the largest of the first three features.
        var x = Tensor.Randn(rng, samples, features);
        var targets = Enumerable.Range(0, samples).Select(i => Enumerable.Range(0, classes).MaxBy(c => x[i, c])).ToArray();
        var mlp = new TwoLayerMlp(features, 32, classes, rng);
        var initial = mlp.Parameters.ToDictionary(p => p.Key, p => new { shape = p.Value.Shape, data = p.Value.ToArray().Select(v => (double)v) });

        var names = mlp.Parameters.Keys.ToList();
        var parameters = names.Select(n => mlp.Parameters[n]).ToList();
        var optimizer = new AdamW(parameters, lr, weightDecay: weightDecay);
        var losses = new List<double>();
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            using (Autograd.Enable())
            {
                var loss = Ops.CrossEntropy(mlp.Forward(x), targets);
                loss.Backward();
                losses.Add(loss.Item());
            }
            GradientClipping.ClipGradNorm(parameters, maxNorm);
            optimizer.Step();
        }

        using var dir = new TempDir("train-oracle");
        File.WriteAllText(dir.File("spec.json"), JsonSerializer.Serialize(new
        {
            @params = initial,
            input = new { shape = x.Shape, data = x.ToArray().Select(v => (double)v) },
            targets, steps, lr = (double)lr, weight_decay = (double)weightDecay, max_norm = (double)maxNorm,
        }));
        PythonOracle.Run("block_oracle.py", "train_mlp", dir.File("spec.json"), dir.File("out.json"));
        var reference = JsonDocument.Parse(File.ReadAllText(dir.File("out.json"))).RootElement.GetProperty("losses")
            .EnumerateArray().Select(e => e.GetDouble()).ToArray();

        Assert.That(losses[^1], Is.LessThan(losses[0] * 0.5), "the toy task must actually be learnt");
        for (int i = 0; i < steps; i++)
            Assert.That(losses[i], Is.EqualTo(reference[i]).Within(1e-4), $"loss at step {i}");
    }
}
