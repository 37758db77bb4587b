using System.Runtime.InteropServices;
using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Optim;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Tensors;

/// <summary>AdamW and gradient clipping against torch.optim.AdamW and clip_grad_norm_, plus hand-computed cases.</summary>
public sealed class AdamWTests
{
    private static readonly int[][] Shapes = [[4, 5], [7], [2, 3, 4], [1], [16, 3]];
    private const int Steps = 50;
    private static readonly int[] Snapshots = [25, 50];

    private sealed record StepAction(string Kind, int[] None, float? Clip);

    [TestCase(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, TestName = "AdamW matches torch: defaults")]
    [TestCase(5e-2f, 0.8f, 0.95f, 1e-6f, 0.1f, TestName = "AdamW matches torch: large lr and decay")]
    [TestCase(1e-2f, 0.9f, 0.99f, 1e-8f, 0f, TestName = "AdamW matches torch: no weight decay")]
    public void MatchesTorchOverFiftyStepsWithScheduleClippingAndMissingGradients(float lr, float beta1, float beta2, float eps, float weightDecay)
    {
        var rng = new Random(4242);
        int total = Shapes.Sum(s => s.Aggregate(1, (a, b) => a * b));
        var init = Tensor.Randn(rng, total).ToArray();
        var grads = new float[Steps * total];
        for (int s = 0; s < Steps; s++)
        {
            // Scales differ per step so the clipped steps really clip and magnitudes span several decades.
            float scale = s % 4 == 0 ? 10f : s % 4 == 1 ? 0.01f : 1f;
            var g = Tensor.Randn(rng, total).Data;
            for (int i = 0; i < total; i++) grads[s * total + i] = g[i] * scale * (1 + i % 5);
        }
        var schedule = Enumerable.Range(0, Steps).Select(s => Schedule(lr, s)).ToArray();
        var actions = Enumerable.Range(0, Steps).Select(Action).ToArray();

        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("init.bin"), MemoryMarshal.AsBytes(init.AsSpan()).ToArray());
        File.WriteAllBytes(dir.File("grads.bin"), MemoryMarshal.AsBytes(grads.AsSpan()).ToArray());
        var spec = new
        {
            shapes = Shapes,
            lr = schedule.Select(v => (double)v).ToArray(),
            betas = new[] { (double)beta1, (double)beta2 },
            eps = (double)eps,
            weight_decay = (double)weightDecay,
            actions = actions.Select(a => new { kind = a.Kind, none = a.None, clip = a.Clip.HasValue ? (double?)a.Clip.Value : null }).ToArray(),
            snapshots = Snapshots,
        };
        File.WriteAllText(dir.File("spec.json"), JsonSerializer.Serialize(spec));
        var outDir = dir.File("torch");
        using var report = JsonDocument.Parse(PythonOracle.Run("adamw_oracle.py", dir.Path, outDir));
        var torchNorms = report.RootElement.GetProperty("norms").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // The same run on our side.
        var parameters = new List<Tensor>();
        int offset = 0;
        foreach (var shape in Shapes)
        {
            var p = new Tensor(shape) { RequiresGrad = true };
            init.AsSpan(offset, p.Length).CopyTo(p.Data);
            offset += p.Length;
            parameters.Add(p);
        }
        var optimizer = new AdamW(parameters, lr, beta1, beta2, eps, weightDecay);
        var norms = new List<float>();
        for (int s = 0; s < Steps; s++)
        {
            optimizer.LearningRate = schedule[s];
            var action = actions[s];
            switch (action.Kind)
            {
                case "grads":
                    offset = 0;
                    for (int i = 0; i < parameters.Count; i++)
                    {
                        var p = parameters[i];
                        p.Grad = action.None.Contains(i) ? null : new Tensor(grads.AsSpan(s * total + offset, p.Length).ToArray(), p.Shape);
                        offset += p.Length;
                    }
                    break;
                case "zero_none": optimizer.ZeroGrad(); break;
                case "zero_zeros": optimizer.ZeroGrad(setToNone: false); break;
            }
            if (action.Clip is { } max) norms.Add(GradientClipping.ClipGradNorm(parameters, max));
            optimizer.Step();

            if (Snapshots.Contains(s + 1))
            {
                var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(outDir, $"params_after_{s + 1}.bin"))).ToArray();
                var actual = parameters.SelectMany(p => p.ToArray()).ToArray();
                AssertClose(expected, actual, $"parameters after step {s + 1}");
            }
        }

        Assert.That(norms, Has.Count.EqualTo(torchNorms.Length));
        for (int i = 0; i < norms.Count; i++)
            Assert.That(norms[i], Is.EqualTo(torchNorms[i]).Within(1e-4).Percent, $"clip_grad_norm_ result {i}");
        Assert.That(optimizer.StepCount(0), Is.EqualTo(Steps - 1), "the all-None step leaves step counts alone");
        Assert.That(optimizer.StepCount(1), Is.LessThan(optimizer.StepCount(0)), "steps where parameter 1 had no gradient are skipped");
    }

    /// <summary>Linear warm-up over 5 steps, then cosine decay to a tenth: exercises the LearningRate setter.</summary>
    private static float Schedule(float peak, int step) => step < 5
        ? peak * (step + 1) / 5f
        : (float)(peak * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * (step - 5) / (Steps - 5)))));

    private static StepAction Action(int step)
    {
        float? clip = step % 3 == 0 ? 1.0f : step % 5 == 1 ? 1e6f : null;
        if (step == 20) return new StepAction("zero_zeros", [], clip);
        if (step == 30) return new StepAction("zero_none", [], null);
        return new StepAction("grads", step % 7 == 3 ? [1] : [], clip);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            if (!(err <= worst)) { worst = err; worstIndex = i; }
        }
        TestContext.Out.WriteLine($"{what}: worst relative error {worst:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-6),
            $"{what}: element {worstIndex} is {actual[Math.Max(worstIndex, 0)]}, torch has {expected[Math.Max(worstIndex, 0)]}");
    }

    [Test]
    public void FirstStepMovesEachWeightByTheLearningRateAfterDecay()
    {
        // After one step the bias-corrected moments are g and g², so the update is lr·g/(|g|+ε) on top of p·(1−lr·λ).
        var p = new Tensor([1f, 1f, 1f, -2f], 4) { Grad = new Tensor([2f, -0.5f, 0f, 1e-3f], 4) };
        var optimizer = new AdamW([p], lr: 0.1f, weightDecay: 0.5f);
        optimizer.Step();
        var expected = new[] { 0.95 - 0.1 * 2 / (2 + 1e-8), 0.95 + 0.1 * 0.5 / (0.5 + 1e-8), 0.95, -1.9 - 0.1 * 1e-3 / (1e-3 + 1e-8) };
        for (int i = 0; i < 4; i++) Assert.That(p.Data[i], Is.EqualTo(expected[i]).Within(1e-6), $"element {i}");
        Assert.That(optimizer.StepCount(0), Is.EqualTo(1));
    }

    [Test]
    public void ZeroGradClearsOrZerosGradients()
    {
        var a = new Tensor([1f, 2f], 2) { Grad = new Tensor([0.5f, 0.5f], 2) };
        var b = new Tensor([3f], 1);
        var optimizer = new AdamW([a, b], lr: 0.1f);

        var gradient = a.Grad!;
        optimizer.ZeroGrad(setToNone: false);
        Assert.That(a.Grad, Is.SameAs(gradient), "zeroing keeps the buffer");
        Assert.That(gradient.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
        Assert.That(b.Grad, Is.Null);

        optimizer.ZeroGrad();
        Assert.That(a.Grad, Is.Null);
        optimizer.Step();
        Assert.That(a.ToArray(), Is.EqualTo(new[] { 1f, 2f }), "no gradient, no update (not even weight decay)");
        Assert.That(optimizer.StepCount(0), Is.EqualTo(0));
    }

    [Test]
    public void LearningRateSetterTakesEffectOnTheNextStep()
    {
        var p = new Tensor([1f, -1f], 2);
        var optimizer = new AdamW([p], lr: 0.1f, weightDecay: 0.1f);
        optimizer.LearningRate = 0f;
        p.Grad = new Tensor([1f, 1f], 2);
        optimizer.Step();
        Assert.That(p.ToArray(), Is.EqualTo(new[] { 1f, -1f }), "lr 0 freezes the weights, decay included");

        optimizer.LearningRate = 0.01f;
        optimizer.Step();
        // Step 2 with g = 1 both times: m̂ = v̂ = 1, so the update is exactly lr/(1+ε) after decay by (1 − 0.01·0.1).
        Assert.That(p.Data[0], Is.EqualTo(0.999 - 0.01 / (1 + 1e-8)).Within(1e-6));
        Assert.That(p.Data[1], Is.EqualTo(-0.999 - 0.01 / (1 + 1e-8)).Within(1e-6));
    }

    [Test]
    public void ClipGradNormScalesOnlyAboveTheLimitAndReturnsTheNorm()
    {
        var a = new Tensor(new float[2], 2) { Grad = new Tensor([3f, 4f], 2) };
        var b = new Tensor(new float[1], 1) { Grad = new Tensor([12f], 1) };
        var noGrad = new Tensor(new float[3], 3);

        Assert.That(GradientClipping.ClipGradNorm([a, b, noGrad], 100f), Is.EqualTo(13f));
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 3f, 4f }), "below the limit gradients are untouched");

        Assert.That(GradientClipping.ClipGradNorm([a, b, noGrad], 6.5f), Is.EqualTo(13f));
        Assert.That(a.Grad!.Data[0], Is.EqualTo(1.5f).Within(1e-6));
        Assert.That(a.Grad.Data[1], Is.EqualTo(2f).Within(1e-6));
        Assert.That(b.Grad!.Data[0], Is.EqualTo(6f).Within(1e-6));
        Assert.That(noGrad.Grad, Is.Null);
        Assert.That(GradientClipping.ClipGradNorm([noGrad], 1f), Is.EqualTo(0f));
    }
}
