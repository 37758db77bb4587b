using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs.Native;
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
        File.WriteAllBytes(_dir.File("ycck.jpg"), CompressCmykAsYcck(53, 37));
        foreach (var line in PythonOracle.Run("imaging_decode.py", _dir.Path, "ycck.jpg").Split('\n', StringSplitOptions.RemoveEmptyEntries))
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
    [TestCase("ycck.jpg")]
    [TestCase("exif_orientation.jpg")]
    [TestCase("extraneous_bytes.jpg")]
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
    [TestCase("png_named.jpg")]
    public void PngDecodesIdenticallyToPil(string name) => AssertMatchesPil(name, tolerance: 0);

    /// <summary>
    /// A YCCK JPEG (CMYK stored as YCbCr + K with an Adobe marker, as Photoshop writes and some ImageNet files are),
    /// produced by libjpeg-turbo's own encoder since PIL cannot write one.
    /// </summary>
    private static unsafe byte[] CompressCmykAsYcck(int width, int height)
    {
        var cmyk = new byte[width * height * 4];
        new Random(17).NextBytes(cmyk);
        IntPtr handle = TurboJpegNative.InitCompress();
        byte* output = null;
        try
        {
            nuint size = 0;
            fixed (byte* src = cmyk)
                Assert.That(TurboJpegNative.Compress2(handle, src, width, width * 4, height, TurboJpegNative.PixelCmyk,
                    &output, &size, TurboJpegNative.Subsample444, 95, 0), Is.EqualTo(0), TurboJpegNative.LastError(handle));
            return new ReadOnlySpan<byte>(output, (int)size).ToArray();
        }
        finally
        {
            if (output != null) TurboJpegNative.Free(output);
            TurboJpegNative.Destroy(handle);
        }
    }

    private void AssertMatchesPil(string name, int tolerance)
    {
        Assert.That(_fixtures, Does.ContainKey(name), "oracle did not produce the fixture");
        var image = RgbImage.Load(_dir.File(name));
        var (width, height) = _fixtures[name];
        Assert.That((image.Width, image.Height), Is.EqualTo((width, height)), "size");
        ImagingAssert.BytesWithin(image.Pixels, File.ReadAllBytes(_dir.File(name + ".rgb")), tolerance, name);
    }
}
