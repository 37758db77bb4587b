using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>Label masks follow the image through pad, resize and crop (nearest), checked against the same steps in PIL.</summary>
public sealed class MaskGeometryTests
{
    [TestCase(53, 37, false, 336, 336, 336)]
    [TestCase(53, 37, true, 336, 336, 336)]
    [TestCase(37, 120, true, 224, 224, 224)]
    [TestCase(500, 375, false, 336, 336, 336)]
    [TestCase(90, 60, false, 50, 64, 40)]
    public void PreparedMaskMatchesPilGeometry(int width, int height, bool pad, int edge, int cropHeight, int cropWidth)
    {
        using var dir = new TempDir("imaging-mask");
        var random = new Random(width * 7 + height);
        var indices = new byte[width * height];
        for (int i = 0; i < indices.Length; i++) indices[i] = (byte)(random.Next(5) == 0 ? 255 : random.Next(21));
        var mask = new IndexedImage(width, height, indices, new byte[256 * 3]);
        mask.Save(dir.File("mask.png"));
        var config = PreprocessorConfig.ClipDefaults() with { Size = ResizeTarget.Shortest(edge), CropSize = (cropHeight, cropWidth) };
        const byte fill = 254;

        var shape = PythonOracle.Run("imaging_mask_geometry.py", dir.File("mask.png"), pad ? "1" : "0", fill.ToString(),
            edge.ToString(), cropHeight.ToString(), cropWidth.ToString(), dir.File("expected.u8")).Trim().Split(' ').Select(int.Parse).ToArray();
        var prepared = new ImageProcessor(config, pad).PrepareMask(mask, fill);

        Assert.That((prepared.Height, prepared.Width), Is.EqualTo((shape[0], shape[1])));
        Assert.That(prepared.Indices, Is.EqualTo(File.ReadAllBytes(dir.File("expected.u8"))));
    }
}
