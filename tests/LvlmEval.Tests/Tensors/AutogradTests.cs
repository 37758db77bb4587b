using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors;

/// <summary>Behaviour of the tape: when it records, how gradients accumulate, retained intermediates, detaching.</summary>
public sealed class AutogradTests
{
    private static Tensor Leaf(params float[] values) => new(values, values.Length) { RequiresGrad = true };

    [Test]
    public void NothingIsRecordedOutsideGradientMode()
    {
        var x = Leaf(1f, 2f, 3f);
        var y = Ops.Exp(x) * 2f;
        Assert.That(y.IsLeaf, Is.True, "an op outside Autograd.Enable() must not record a node");
        Assert.That(y.RequiresGrad, Is.False);
        Assert.Throws<InvalidOperationException>(() => Ops.Sum(y).Backward());
    }

    [Test]
    public void DisableInsideEnableStopsRecording()
    {
        var x = Leaf(1f, 2f);
        using (Autograd.Enable())
        {
            using (Autograd.Disable()) Assert.That((x * 3f).IsLeaf, Is.True);
            Assert.That((x * 3f).IsLeaf, Is.False);
        }
        Assert.That(Autograd.IsEnabled, Is.False);
    }

    [Test]
    public void ATensorUsedTwiceReceivesTheSumOfBothPaths()
    {
        // y = x·x + 3x → dy/dx = 2x + 3 (hand-computed).
        var x = Leaf(1.5f, -2f);
        using (Autograd.Enable()) Ops.Sum(x * x + x * 3f).Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 6f, -1f }));
    }

    [Test]
    public void LeafGradientsAccumulateAcrossBackwardCalls()
    {
        var x = Leaf(1f, 2f);
        using (Autograd.Enable())
        {
            Ops.Sum(x * 2f).Backward();
            Ops.Sum(x * 5f).Backward();
        }
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 7f, 7f }));
    }

    [Test]
    public void RetainedIntermediateKeepsItsGradient()
    {
        // h = 2x, y = Σ h²: dy/dh = 2h = 4x.
        var x = Leaf(1f, -3f);
        Tensor h;
        using (Autograd.Enable())
        {
            h = (x * 2f).RetainGrad();
            var notRetained = h * 1f;
            Ops.Sum(notRetained * notRetained).Backward();
            Assert.That(notRetained.Grad, Is.Null, "intermediates drop their gradient unless retained");
        }
        Assert.That(h.Grad!.ToArray(), Is.EqualTo(new[] { 4f, -12f }));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 8f, -24f }));
    }

    [Test]
    public void DetachCutsTheGraph()
    {
        var x = Leaf(2f);
        using (Autograd.Enable())
        {
            var y = x * x.Detach(); // d/dx = x (the detached factor is a constant)
            y.Backward(Tensor.Full(1f, 1));
        }
        Assert.That(x.Grad!.Item(), Is.EqualTo(2f));
    }

    [Test]
    public void NonScalarBackwardNeedsAGradientOfTheSameShape()
    {
        var x = Leaf(1f, 2f);
        using (Autograd.Enable())
        {
            var y = x * 2f;
            Assert.Throws<ArgumentException>(() => y.Backward());
            var ex = Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Zeros(3)));
            Assert.That(ex!.Message, Does.Contain("[3]").And.Contain("[2]"));
        }
    }

    [Test]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Leaf(1f);
        var y = x;
        using (Autograd.Enable())
        {
            for (int i = 0; i < 20000; i++) y = y * 1f;
            y.Backward(Tensor.Full(1f, 1));
        }
        Assert.That(x.Grad!.Item(), Is.EqualTo(1f));
    }
}
