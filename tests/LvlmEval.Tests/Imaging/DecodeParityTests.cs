using LvlmEval.Imaging;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>Our JPEG/PNG decoding against PIL's <c>Image.open(f).convert("RGB")</c> on fixtures PIL and a raw PNG writer produce.</summary>
public sealed class DecodeParityTests
{
    private TempDir _dir = null!;
    private Dictionary<string, (int Width, int Height)> _fixtures = null!;

    [OneTimeSetUp]
    public void GenerateFixtures()
    {
        _dir = new TempDir("imaging-decode");
        _fixtures = new();
        foreach (var line in PythonOracle.Run("imaging_decode.py", _dir.Path).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            _fixtures[parts[0]] = (int.Parse(parts[1]), int.Parse(parts[2]));
        }
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    [TestCase("baseline.jpg")]
    [TestCase("baseline_640x480.jpg")]
    [TestCase("progressive.jpg")]
    [TestCase("subsampling444.jpg")]
    [TestCase("grayscale.jpg")]
    [TestCase("cmyk.jpg")]
    [TestCase("cmyk_inks.jpg")]
    public void JpegDecodesWithinOneOfPil(string name) => AssertMatchesPil(name, tolerance: 1);

    [TestCase("rgb.png")]
    [TestCase("rgba.png")]
    [TestCase("gray.png")]
    [TestCase("gray_alpha.png")]
    [TestCase("bilevel.png")]
    [TestCase("palette.png")]
    [TestCase("palette_trns.png")]
    [TestCase("gray16.png")]
    [TestCase("rgb16.png")]
    [TestCase("rgba16.png")]
    [TestCase("gray_alpha16.png")]
    [TestCase("gray2.png")]
    [TestCase("gray4.png")]
    [TestCase("palette4.png")]
    public void PngDecodesIdenticallyToPil(string name) => AssertMatchesPil(name, tolerance: 0);

    private void AssertMatchesPil(string name, int tolerance)
    {
        Assert.That(_fixtures, Does.ContainKey(name), "oracle did not produce the fixture");
        var image = RgbImage.Load(_dir.File(name));
        var (width, height) = _fixtures[name];
        Assert.That((image.Width, image.Height), Is.EqualTo((width, height)), "size");
        ImagingAssert.BytesWithin(image.Pixels, File.ReadAllBytes(_dir.File(name + ".rgb")), tolerance, name);
    }
}
