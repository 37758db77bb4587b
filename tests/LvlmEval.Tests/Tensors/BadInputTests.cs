using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors;

/// <summary>Shape mismatches and out-of-range indices throw ArgumentException naming the shapes involved.</summary>
public sealed class BadInputTests
{
    private static void ThrowsNaming(TestDelegate action, params string[] fragments)
    {
        var ex = Assert.Throws<ArgumentException>(action);
        foreach (var f in fragments) Assert.That(ex!.Message, Does.Contain(f));
    }

    [Test] public void BroadcastMismatch() => ThrowsNaming(() => Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(4)), "[2, 3]", "[4]");
    [Test] public void MatMulInnerDimensions() => ThrowsNaming(() => Ops.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)), "[2, 3]", "[4, 5]");
    [Test] public void MatMulBatchAxes() => ThrowsNaming(() => Ops.MatMul(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 5)), "[2, 3, 4]", "[3, 4, 5]");
    [Test] public void MatMulIntoOutputShape() => ThrowsNaming(() => Ops.MatMulInto(Tensor.Zeros(2, 3), Tensor.Zeros(3, 4), Tensor.Zeros(2, 5)), "[2, 5]", "[2, 4]");
    [Test] public void LinearWeight() => ThrowsNaming(() => Ops.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)), "[2, 3]", "[4, 5]");
    [Test] public void ReshapeCount() => ThrowsNaming(() => Ops.Reshape(Tensor.Zeros(2, 3), 4, 2), "[2, 3]", "[4, 2]");
    [Test] public void ConcatShapes() => ThrowsNaming(() => Ops.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1), "[3, 3]", "[2, 3]");
    [Test] public void LayerNormWeight() => ThrowsNaming(() => Ops.LayerNorm(Tensor.Zeros(2, 8), Tensor.Zeros(7), null), "[7]", "[2, 8]");
    [Test] public void AttentionHeads() => ThrowsNaming(() => Ops.ScaledDotProductAttention(Tensor.Zeros(1, 3, 4, 8), Tensor.Zeros(1, 2, 4, 8), Tensor.Zeros(1, 2, 4, 8), true), "[1, 3, 4, 8]", "[1, 2, 4, 8]");
    [Test] public void RopeTables() => ThrowsNaming(() => Ops.Rope(Tensor.Zeros(1, 2, 5, 8), Tensor.Zeros(4, 8), Tensor.Zeros(4, 8)), "[1, 2, 5, 8]", "[4, 8]");
    [Test] public void PatchWeight() => ThrowsNaming(() => Ops.PatchEmbed(Tensor.Zeros(1, 3, 8, 8), Tensor.Zeros(4, 1, 4, 4)), "[1, 3, 8, 8]", "[4, 1, 4, 4]");
    [Test] public void IndexOutOfRange() => ThrowsNaming(() => Ops.IndexSelect(Tensor.Zeros(5, 2), 0, [1, 5]), "Index 5", "[5, 2]");
    [Test] public void NegativeIndex() => ThrowsNaming(() => Ops.Embedding(Tensor.Zeros(5, 2), [-1]), "Index -1", "[5, 2]");
    [Test] public void TargetOutOfRange() => ThrowsNaming(() => Ops.CrossEntropy(Tensor.Zeros(2, 3), [0, 3]), "target 3", "[2, 3]");
    [Test] public void AxisOutOfRange() => ThrowsNaming(() => Ops.Sum(Tensor.Zeros(2, 3), 2), "Axis 2", "rank 2");
    [Test] public void NarrowWindow() => ThrowsNaming(() => Ops.Narrow(Tensor.Zeros(2, 3), 1, 2, 2), "[2, 4)", "[2, 3]");
    [Test] public void DataLength() => ThrowsNaming(() => _ = new Tensor(new float[5], 2, 3), "5", "[2, 3]");
    [Test] public void ElementIndex() => ThrowsNaming(() => _ = Tensor.Zeros(2, 3)[1, 3], "[1, 3]", "[2, 3]");
}
