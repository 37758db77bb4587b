using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tests.Tensors;

/// <summary>The vectorised exponential against double-precision Math.Exp over the whole float range.</summary>
public sealed class FastExpTests
{
    [Test]
    public void RelativeErrorIsBelowTwoUlpsAcrossTheRange()
    {
        var rng = new Random(4);
        var x = Enumerable.Range(0, 100_003).Select(_ => (float)(rng.NextDouble() * 175 - 87)).Concat([0f, -0f, 1f, -1f, 88f, -87f, 1e-8f]).ToArray();
        var y = new float[x.Length];
        FastExp.Exp(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double truth = Math.Exp(x[i]);
            worst = Math.Max(worst, Math.Abs(y[i] - truth) / truth);
        }
        Assert.That(worst, Is.LessThan(2.5e-7));
    }

    [Test]
    public void MaskedAndExtremeInputs()
    {
        var x = new[] { float.NegativeInfinity, -1000f, -88f, 89f, float.PositiveInfinity, 0f, 0f, 0f, 0f };
        var y = new float[x.Length];
        FastExp.Exp(x, y);
        Assert.That(y[0], Is.EqualTo(0f), "−∞ (masked attention) must give exactly 0");
        Assert.That(y[1], Is.EqualTo(0f));
        Assert.That(y[2], Is.EqualTo(0f).Within(1e-37));
        Assert.That(float.IsFinite(y[3]) && y[3] > 1e38f);
        Assert.That(y[5], Is.EqualTo(1f));
    }

    [Test]
    public void SigmoidMatchesTheLogisticFunction()
    {
        var x = Enumerable.Range(-400, 801).Select(i => i / 20f).ToArray();
        var y = new float[x.Length];
        FastExp.Sigmoid(x, y, 1.702f);
        for (int i = 0; i < x.Length; i++)
        {
            float scaled = -1.702f * x[i]; // the kernel's float32 argument; its rounding is not the kernel's error
            Assert.That(y[i], Is.EqualTo(1.0 / (1.0 + Math.Exp(scaled))).Within(4e-7 * y[i]), $"x = {x[i]}");
        }
    }
}
