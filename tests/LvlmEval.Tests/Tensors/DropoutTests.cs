using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors;

/// <summary>Dropout: inverted scaling, seeded determinism, and a backward that reuses the forward mask.</summary>
public sealed class DropoutTests
{
    [Test]
    public void KeepsAboutOneMinusPAndScalesSurvivors()
    {
        var x = Tensor.Full(1f, 100_000);
        var y = Ops.Dropout(x, 0.3f, new Random(5)).ToArray();
        int kept = y.Count(v => v != 0f);
        // Binomial(100000, 0.7): sd ≈ 145, so ±1000 is a 7-sigma band.
        Assert.That(kept, Is.InRange(69_000, 71_000));
        Assert.That(y.Where(v => v != 0f).Distinct(), Is.EqualTo(new[] { 1f / 0.7f }));
    }

    [Test]
    public void SameSeedSameMaskDifferentSeedDifferentMask()
    {
        var x = Tensor.Full(1f, 1000);
        var a = Ops.Dropout(x, 0.5f, new Random(1)).ToArray();
        var b = Ops.Dropout(x, 0.5f, new Random(1)).ToArray();
        var c = Ops.Dropout(x, 0.5f, new Random(2)).ToArray();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }

    [Test]
    public void GradientIsTheMaskTimesTheScale()
    {
        var x = Tensor.Randn(new Random(3), 500);
        x.RequiresGrad = true;
        Tensor y;
        using (Autograd.Enable())
        {
            y = Ops.Dropout(x, 0.25f, new Random(9));
            Ops.Sum(y).Backward();
        }
        var yv = y.ToArray(); var g = x.Grad!.ToArray(); var xv = x.ToArray();
        for (int i = 0; i < yv.Length; i++)
            Assert.That(g[i], Is.EqualTo(yv[i] == 0f ? 0f : 1f / 0.75f).Within(1e-6), $"element {i} (x = {xv[i]})");
    }

    [Test]
    public void ZeroProbabilityIsIdentityAndOneIsRejected()
    {
        var x = Tensor.Randn(new Random(1), 10);
        Assert.That(Ops.Dropout(x, 0f, new Random(1)), Is.SameAs(x));
        Assert.Throws<ArgumentException>(() => Ops.Dropout(x, 1f, new Random(1)));
    }
}
