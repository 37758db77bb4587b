using System.Runtime.InteropServices;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>Heatmap upsampling vs torch interpolate, colormaps vs matplotlib, overlay and contour vs numpy, PNG output read by PIL.</summary>
public sealed class HeatmapTests
{
    private static void Write(string path, ReadOnlySpan<float> values) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(values).ToArray());

    [TestCase(24, 24, 336, 336)]
    [TestCase(3, 5, 17, 29)]
    [TestCase(7, 7, 7, 7)]
    [TestCase(6, 4, 480, 640)]
    public void UpsamplingMatchesTorchBilinear(int gridHeight, int gridWidth, int height, int width)
    {
        using var dir = new TempDir("imaging-heat");
        var random = new Random(gridHeight * 31 + gridWidth);
        var grid = new float[gridHeight * gridWidth];
        for (int i = 0; i < grid.Length; i++) grid[i] = (float)(random.NextDouble() * 10 - 3);
        Write(dir.File("grid.f32"), grid);
        PythonOracle.Run("imaging_heatmap.py", "upsample", dir.Path, gridHeight.ToString(), gridWidth.ToString(), height.ToString(), width.ToString());

        ImagingAssert.FloatsWithin(HeatmapUpsampler.Bilinear(grid, gridHeight, gridWidth, height, width),
            ImagingAssert.ReadFloats(dir.File("up.f32")), 1e-5, "bilinear");
        ImagingAssert.FloatsWithin(HeatmapRenderer.UpsampleNormalized(grid, gridHeight, gridWidth, height, width, HeatmapStyle.Default),
            ImagingAssert.ReadFloats(dir.File("norm.f32")), 1e-5, "normalised");
    }

    [TestCase("viridis")]
    [TestCase("turbo")]
    [TestCase("jet")]
    public void ColormapBytesMatchMatplotlib(string name)
    {
        using var dir = new TempDir("imaging-cmap");
        var values = new List<float> { -0.5f, 0f, 1f, 1.5f, 0.5f, 255f / 256f, 1f / 256f, float.Epsilon };
        for (int i = 0; i <= 2000; i++) values.Add(i / 2000f);
        Write(dir.File("values.f32"), values.ToArray());
        PythonOracle.Run("imaging_heatmap.py", "colormap", dir.Path, name);

        var colormap = Colormap.ByName(name);
        var ours = new byte[values.Count * 3];
        for (int i = 0; i < values.Count; i++) (ours[i * 3], ours[i * 3 + 1], ours[i * 3 + 2]) = colormap.Map(values[i]);
        Assert.That(ours, Is.EqualTo(File.ReadAllBytes(dir.File(name + ".rgb"))));
    }

    [Test]
    public void OverlayWithContourMatchesNumpyAndReadsBackInPil()
    {
        using var dir = new TempDir("imaging-overlay");
        const int height = 37, width = 53;
        var random = new Random(9);
        var source = new RgbImage(width, height);
        random.NextBytes(source.Pixels);
        var grid = new float[4 * 6];
        for (int i = 0; i < grid.Length; i++) grid[i] = (float)random.NextDouble();
        var mask = new bool[height * width];
        for (int y = 8; y < 30; y++)
            for (int x = 0; x < 20 + y / 3; x++)
                mask[y * width + x] = true;
        var style = new HeatmapStyle(Colormap.Turbo, Alpha: 0.4f);

        var overlay = HeatmapRenderer.Overlay(source, grid, 4, 6, style, mask);
        overlay.Save(dir.File("ours.png"));
        File.WriteAllBytes(dir.File("source.rgb"), source.Pixels);
        Write(dir.File("heat.f32"), HeatNormalized(grid, style, height, width));
        File.WriteAllBytes(dir.File("mask.u8"), mask.Select(m => m ? (byte)1 : (byte)0).ToArray());
        PythonOracle.Run("imaging_heatmap.py", "overlay", dir.Path, height.ToString(), width.ToString(), "0.4", "turbo");

        ImagingAssert.BytesWithin(overlay.Pixels, File.ReadAllBytes(dir.File("expected.rgb")), 1, "overlay");
        Assert.That(File.ReadAllBytes(dir.File("ours_pil.rgb")), Is.EqualTo(overlay.Pixels), "PNG written by us, read by PIL");
    }

    private static float[] HeatNormalized(float[] grid, HeatmapStyle style, int height, int width) =>
        HeatmapRenderer.UpsampleNormalized(grid, 4, 6, height, width, style);
}
