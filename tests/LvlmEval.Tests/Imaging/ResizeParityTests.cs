using LvlmEval.Imaging;
using LvlmEval.Imaging.Transforms;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary><see cref="PilResize"/> against PIL's <c>Image.resize</c> for all three filters, up, down and mixed scaling, odd sizes.</summary>
public sealed class ResizeParityTests
{
    private TempDir _dir = null!;
    private List<(string Source, int Width, int Height, ResampleFilter Filter, string Output)> _cases = null!;

    [OneTimeSetUp]
    public void GenerateReference()
    {
        _dir = new TempDir("imaging-resize");
        _cases = PythonOracle.Run("imaging_resize.py", _dir.Path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Select(p => (p[0], int.Parse(p[1]), int.Parse(p[2]), Enum.Parse<ResampleFilter>(p[3], ignoreCase: true), p[4]))
            .ToList();
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    [TestCase(ResampleFilter.Nearest)]
    [TestCase(ResampleFilter.Bilinear)]
    [TestCase(ResampleFilter.Bicubic)]
    public void ResizeMatchesPilWithinOne(ResampleFilter filter)
    {
        var cases = _cases.Where(c => c.Filter == filter).ToList();
        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(14));
        foreach (var c in cases)
        {
            var resized = PilResize.Resize(RgbImage.Load(_dir.File(c.Source)), c.Width, c.Height, filter);
            ImagingAssert.BytesWithin(resized.Pixels, File.ReadAllBytes(_dir.File(c.Output)), 1, c.Output);
        }
    }

    [Test]
    public void RegionEqualsTheCropOfTheFullPilResize()
    {
        var source = RgbImage.Load(_dir.File("s640x480.png"));
        var reference = File.ReadAllBytes(_dir.File("s640x480.png_448x336_bicubic.rgb"));
        var region = new PixelRect(56, 0, 336, 336);
        var cropped = PilResize.ResizeRegion(source, 448, 336, ResampleFilter.Bicubic, region);
        var expected = new byte[336 * 336 * 3];
        for (int y = 0; y < 336; y++)
            reference.AsSpan((y * 448 + 56) * 3, 336 * 3).CopyTo(expected.AsSpan(y * 336 * 3));
        ImagingAssert.BytesWithin(cropped.Pixels, expected, 1, "region of 448×336 bicubic");
    }

    [Test]
    public void IndexedNearestResizeKeepsOnlyExistingLabels()
    {
        var indices = new byte[6 * 4];
        for (int i = 0; i < indices.Length; i++) indices[i] = (byte)(i % 3 == 0 ? 255 : i % 7);
        var mask = new IndexedImage(6, 4, indices);
        var resized = PilResize.Resize(mask, 13, 9);
        Assert.That(resized.Indices.Distinct().All(v => indices.Contains(v)), Is.True);
        // Nearest sampling at pixel centres: output (x, y) reads source (floor((x + 0.5) · 6/13), floor((y + 0.5) · 4/9)).
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 13; x++)
                Assert.That(resized[x, y], Is.EqualTo(mask[(int)((x + 0.5) * 6 / 13), (int)((y + 0.5) * 4 / 9)]));
    }
}
