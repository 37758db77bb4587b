using LvlmEval.Tensors;
using LvlmEval.Tensors.Kernels;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Tensors;

/// <summary>
/// Linear layers and embedding lookups on F16/BF16 weights read in place from a safetensors file: outputs and input
/// gradients match a float64 product of the stored values (widened by the file reader, itself checked against Python),
/// for one row (dot products), a few rows, and many rows in one or many widened blocks.
/// </summary>
public sealed class WidenedLinearTests
{
    [TestCase(SafetensorsDType.F16, 1, 33, 24)]
    [TestCase(SafetensorsDType.BF16, 3, 33, 24)]
    [TestCase(SafetensorsDType.F16, 37, 33, 24)]
    [TestCase(SafetensorsDType.BF16, 2, 40, 70_000, TestName = "BF16, two rows, 70 000 inputs")]
    [TestCase(SafetensorsDType.F16, 7, 40, 70_000, TestName = "F16, seven rows, 70 000 inputs")]
    [TestCase(SafetensorsDType.BF16, 7, 40, 70_000, TestName = "BF16, seven rows, 70 000 inputs")]
    [TestCase(SafetensorsDType.F16, 6, 1030, 4100, TestName = "F16, six rows, 1030 × 4100")]
    public void OutputAndInputGradientMatchFloat64ProductOfStoredValues(SafetensorsDType dtype, int rows, int outF, int inF)
    {
        using var dir = new TempDir("widened-linear");
        var rng = new Random(rows * 31 + outF);
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Save(path, [("w", Tensor.Randn(rng, outF, inF)), ("b", Tensor.Randn(rng, outF))], dtype: dtype);
        using var file = SafetensorsFile.Open(path);
        var weight = file.MapMatrix("w");
        var bias = file.ReadTensor("b");
        var stored = file.ReadTensor("w").ToArray();
        Assert.That(weight.IsHalfWidth && weight.StoredType == dtype && weight.Rows == outF && weight.Columns == inF);

        using var on = Autograd.Enable();
        var x = Tensor.Randn(rng, rows, inF);
        x.RequiresGrad = true;
        bias.RequiresGrad = true;
        var upstream = Tensor.Randn(rng, rows, outF);
        var y = Ops.Linear(x, weight, bias);
        Ops.Sum(Ops.Mul(y, upstream)).Backward();

        var expected = new double[rows * outF];
        var expectedGx = new double[rows * inF];
        var xs = x.ToArray(); var gs = upstream.ToArray(); var bs = bias.ToArray();
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outF; o++)
            {
                double sum = bs[o];
                for (int i = 0; i < inF; i++) sum += (double)xs[r * inF + i] * stored[o * inF + i];
                expected[r * outF + o] = sum;
                for (int i = 0; i < inF; i++) expectedGx[r * inF + i] += (double)gs[r * outF + o] * stored[o * inF + i];
            }
        // float32 accumulation over up to 70 000 terms
        double tolerance = inF > 1000 ? 2e-5 : 1e-5;
        TensorAssert.Close(y.Data, expected, tolerance, "output");
        TensorAssert.Close(x.Grad!.Data, expectedGx, tolerance, "input gradient");
        var expectedGb = Enumerable.Range(0, outF).Select(o => Enumerable.Range(0, rows).Sum(r => (double)gs[r * outF + o])).ToArray();
        TensorAssert.Close(bias.Grad!.Data, expectedGb, 1e-5, "bias gradient");
    }

    /// <summary>
    /// A widening buffer far smaller than the matrix: the forward widens it in blocks of weight rows and the input gradient
    /// in blocks of weight columns, each block one sgemm call writing its own output columns (the last block narrower).
    /// </summary>
    [TestCase(SafetensorsDType.F16, 6, 1030, 70)]
    [TestCase(SafetensorsDType.BF16, 9, 70, 1030)]
    public void ProductsOverManyWidenedBlocksMatchFloat64ProductOfStoredValues(SafetensorsDType dtype, int rows, int outF, int inF)
    {
        const int blockFloats = 20_000;
        using var dir = new TempDir("widened-blocks");
        var rng = new Random(outF);
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Save(path, [("w", Tensor.Randn(rng, outF, inF))], dtype: dtype);
        using var file = SafetensorsFile.Open(path);
        var weight = file.MapMatrix("w");
        var stored = file.ReadTensor("w").ToArray();
        // Both products must cross block boundaries, or the case tests nothing the single-block cases do not.
        Assert.That(WidenedGemm.BlockWidth(outF, inF, blockFloats), Is.LessThan(outF / 2), "forward blocks");
        Assert.That(WidenedGemm.BlockWidth(inF, outF, blockFloats), Is.LessThan(inF / 2), "input-gradient blocks");

        var x = Tensor.Randn(rng, rows, inF).ToArray();
        var g = Tensor.Randn(rng, rows, outF).ToArray();
        var y = new float[rows * outF];
        var gx = new float[rows * inF];
        WidenedGemm.Forward(x, rows, weight, y, blockFloats);
        WidenedGemm.BackwardInput(g, rows, weight, gx, blockFloats);

        var expected = new double[rows * outF];
        var expectedGx = new double[rows * inF];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outF; o++)
                for (int i = 0; i < inF; i++)
                {
                    expected[r * outF + o] += (double)x[r * inF + i] * stored[o * inF + i];
                    expectedGx[r * inF + i] += (double)g[r * outF + o] * stored[o * inF + i];
                }
        TensorAssert.Close(y, expected, 2e-5, "output");
        TensorAssert.Close(gx, expectedGx, 2e-5, "input gradient");
    }

    [TestCase(SafetensorsDType.F16)]
    [TestCase(SafetensorsDType.BF16)]
    public void EmbeddingRowsAreTheStoredRowsWidenedExactly(SafetensorsDType dtype)
    {
        using var dir = new TempDir("widened-embedding");
        var path = dir.File("e.safetensors");
        SafetensorsWriter.Save(path, [("e", Tensor.Randn(new Random(5), 10, 6))], dtype: dtype);
        using var file = SafetensorsFile.Open(path);
        var table = file.MapMatrix("e");
        var stored = file.ReadTensor("e").ToArray();
        int[] ids = [3, 0, 9, 3];
        var rows = Ops.Embedding(table, ids, 2, 2);
        Assert.That(rows.Shape, Is.EqualTo(new[] { 2, 2, 6 }));
        for (int i = 0; i < ids.Length; i++)
            Assert.That(rows.Data.Slice(i * 6, 6).ToArray(), Is.EqualTo(stored.AsSpan(ids[i] * 6, 6).ToArray()), $"row of id {ids[i]}");
        Assert.That(table.Widen().ToArray(), Is.EqualTo(stored));
        Assert.Throws<ArgumentException>(() => Ops.Embedding(table, [10]));
    }

    [Test]
    public void Float32MatricesAreNotMappedAndStayTrainable()
    {
        using var dir = new TempDir("widened-f32");
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Save(path, [("w", Tensor.Randn(new Random(1), 4, 3))]);
        using var file = SafetensorsFile.Open(path);
        Assert.Throws<InvalidOperationException>(() => file.MapMatrix("w"));
        using var on = Autograd.Enable();
        var dense = file.ReadTensor("w");
        dense.RequiresGrad = true;
        var x = Tensor.Randn(new Random(2), 2, 3);
        Ops.Sum(Ops.Linear(x, WeightMatrix.FromTensor(dense))).Backward();
        Assert.That(dense.Grad, Is.Not.Null, "a float32 weight matrix keeps its gradient");
    }
}
