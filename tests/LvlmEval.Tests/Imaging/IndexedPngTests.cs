using LvlmEval.Imaging;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>VOC-style palette masks keep their class indices (including 255 = void) through read and write, checked with PIL.</summary>
public sealed class IndexedPngTests
{
    [Test]
    public void PilWrittenVocMaskDecodesToTheSameIndicesAndPalette()
    {
        using var dir = new TempDir("imaging-voc");
        PythonOracle.Run("imaging_palette.py", "write", dir.Path);
        var mask = IndexedImage.Load(dir.File("mask.png"));
        Assert.That((mask.Width, mask.Height), Is.EqualTo((53, 37)));
        Assert.That(mask.Indices, Is.EqualTo(File.ReadAllBytes(dir.File("mask.idx"))));
        Assert.That(mask.Indices, Does.Contain((byte)255));
        Assert.That(mask.Palette, Is.EqualTo(File.ReadAllBytes(dir.File("voc.pal"))));
    }

    [Test]
    public void OurWrittenMaskReadsBackInPilWithTheSameIndices()
    {
        using var dir = new TempDir("imaging-voc");
        PythonOracle.Run("imaging_palette.py", "write", dir.Path);
        var mask = IndexedImage.Load(dir.File("mask.png"));
        string written = dir.File("ours.png");
        mask.Save(written);

        var lines = PythonOracle.Run("imaging_palette.py", "check", written).Split('\n');
        Assert.That(lines[0], Is.EqualTo("P"));
        Assert.That(Convert.FromHexString(lines[1]), Is.EqualTo(mask.Indices));
        Assert.That(Convert.FromHexString(lines[2]), Is.EqualTo(File.ReadAllBytes(dir.File("voc.pal"))));
        Assert.That(IndexedImage.Load(written).Indices, Is.EqualTo(mask.Indices));
    }

    [Test]
    public void PaletteMaskDecodedAsRgbShowsThePaletteColours()
    {
        using var dir = new TempDir("imaging-voc");
        PythonOracle.Run("imaging_palette.py", "write", dir.Path);
        var mask = IndexedImage.Load(dir.File("mask.png"));
        var rgb = RgbImage.Load(dir.File("mask.png"));
        var palette = File.ReadAllBytes(dir.File("voc.pal"));
        for (int i = 0; i < mask.Indices.Length; i++)
            Assert.That(rgb.Pixels.AsSpan(i * 3, 3).ToArray(), Is.EqualTo(palette.AsSpan(mask.Indices[i] * 3, 3).ToArray()), $"pixel {i}");
    }
}
