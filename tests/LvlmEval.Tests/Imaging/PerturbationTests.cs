using LvlmEval.Imaging.Perturbations;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>Masked replacement with constant, blurred and other-image substrates against a PyTorch implementation.</summary>
public sealed class PerturbationTests
{
    private static Tensor RandomChw(Random random, int height, int width)
    {
        var data = new float[3 * height * width];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 4 - 2);
        return new Tensor(data, 3, height, width);
    }

    private static void Write(string path, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        File.WriteAllBytes(path, bytes);
    }

    [TestCase(24, 31, 5, 1.0)]
    [TestCase(17, 13, 11, 3.5)]
    [TestCase(40, 40, 3, 0.6)]
    public void SubstratesMatchTorch(int height, int width, int kernel, double sigma)
    {
        using var dir = new TempDir("imaging-perturb");
        var random = new Random(height * 100 + width);
        var pixels = RandomChw(random, height, width);
        var other = RandomChw(random, height, width);
        var mask = new float[height * width];
        for (int i = 0; i < mask.Length; i++) mask[i] = random.Next(3) switch { 0 => 0f, 1 => 1f, _ => (float)random.NextDouble() };
        Write(dir.File("pixels.f32"), pixels.Data);
        Write(dir.File("other.f32"), other.Data);
        Write(dir.File("mask.f32"), mask);
        var color = new ConstantColor(0.25f, -1.5f, 0.75f);
        PythonOracle.Run("imaging_perturb.py", dir.Path, height.ToString(), width.ToString(), kernel.ToString(),
            sigma.ToString(System.Globalization.CultureInfo.InvariantCulture), "0.25", "-1.5", "0.75");

        ImagingAssert.FloatsWithin(GaussianBlur.Apply(pixels, kernel, sigma).Data, ImagingAssert.ReadFloats(dir.File("blur.f32")), 1e-5, "blur");
        ImagingAssert.FloatsWithin(Perturbation.Apply(pixels, mask, color).Data, ImagingAssert.ReadFloats(dir.File("constant.f32")), 1e-6, "constant");
        ImagingAssert.FloatsWithin(Perturbation.Apply(pixels, mask, new GaussianBlur(kernel, sigma)).Data,
            ImagingAssert.ReadFloats(dir.File("blurred.f32")), 1e-5, "blurred");
        ImagingAssert.FloatsWithin(Perturbation.Apply(pixels, mask, new OtherImage(other)).Data, ImagingAssert.ReadFloats(dir.File("other.f32")), 1e-6, "other image");
    }

    [Test]
    public void BooleanMaskReplacesExactlyTheSelectedPixels()
    {
        var random = new Random(5);
        var pixels = RandomChw(random, 4, 5);
        var mask = new bool[20];
        mask[3] = mask[7] = mask[19] = true;
        var result = Perturbation.Apply(pixels, mask, ConstantColor.NormalizationMean);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 20; i++)
                Assert.That(result.Data[c * 20 + i], Is.EqualTo(mask[i] ? 0f : pixels.Data[c * 20 + i]));
        Assert.That(pixels.Data[3], Is.Not.EqualTo(0f), "input must be left untouched");
    }

    [Test]
    public void AverageColourIsThePerChannelMean()
    {
        var data = new float[3 * 2 * 2];
        for (int i = 0; i < data.Length; i++) data[i] = i;
        var color = ConstantColor.AverageOf(new Tensor(data, 3, 2, 2));
        Assert.That(color, Is.EqualTo(new ConstantColor(1.5f, 5.5f, 9.5f)));
    }

    [Test]
    public void PatchGridExpandsToPixelBlocks()
    {
        float[] grid = [1, 0, 0, 1, 0.5f, 0];
        var mask = PixelMask.FromPatchGrid(grid, 2, 3, 4, 6);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 6; x++)
                Assert.That(mask[y * 6 + x], Is.EqualTo(grid[(y / 2) * 3 + x / 2]), $"pixel ({x}, {y})");
    }

    [Test]
    public void MismatchedMaskIsRejectedWithItsSize()
    {
        var pixels = new Tensor(3, 4, 4);
        var ex = Assert.Throws<ArgumentException>(() => Perturbation.Apply(pixels, new float[15], ConstantColor.NormalizationMean));
        Assert.That(ex!.Message, Does.Contain("15").And.Contain("16"));
    }
}
