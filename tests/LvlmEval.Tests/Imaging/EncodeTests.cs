using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>Files we write (PNG, JPEG at a quality) are read by PIL as intended.</summary>
public sealed class EncodeTests
{
    private static RgbImage Scene(int width, int height)
    {
        var image = new RgbImage(width, height);
        var random = new Random(21);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                image.Pixels[i] = (byte)(x * 255 / width);
                image.Pixels[i + 1] = (byte)(y * 255 / height);
                image.Pixels[i + 2] = (byte)(128 + random.Next(-20, 21));
            }
        return image;
    }

    [Test]
    public void PngIsLosslessInPil()
    {
        using var dir = new TempDir("imaging-encode");
        var image = Scene(45, 29);
        image.Save(dir.File("out.png"));
        var info = PythonOracle.Run("imaging_readback.py", dir.File("out.png"), dir.File("out.rgb")).Trim();
        Assert.That(info, Does.StartWith("PNG RGB 45 29"));
        Assert.That(File.ReadAllBytes(dir.File("out.rgb")), Is.EqualTo(image.Pixels));
    }

    [TestCase(95, false, 31.0)]
    [TestCase(60, false, 28.0)]
    [TestCase(90, true, 30.0)]
    public void JpegDecodesInPilAsWeDecodeItAndNearTheOriginal(int quality, bool progressive, double minimumPsnr)
    {
        using var dir = new TempDir("imaging-encode");
        var image = Scene(64, 48);
        string path = dir.File("out.jpg");
        File.WriteAllBytes(path, JpegCodec.Encode(image, quality, progressive));
        var info = PythonOracle.Run("imaging_readback.py", path, dir.File("out.rgb")).Trim();
        Assert.That(info, Is.EqualTo($"JPEG RGB 64 48 {(progressive ? "progressive" : "baseline")}"));

        var pil = File.ReadAllBytes(dir.File("out.rgb"));
        ImagingAssert.BytesWithin(RgbImage.Load(path).Pixels, pil, 1, "our decode vs PIL's");
        double mse = 0;
        for (int i = 0; i < pil.Length; i++) mse += Math.Pow(pil[i] - image.Pixels[i], 2);
        double psnr = 10 * Math.Log10(255.0 * 255.0 / (mse / pil.Length));
        Assert.That(psnr, Is.GreaterThan(minimumPsnr), $"quality {quality}");
    }

    [Test]
    public void QualityOutsideOneToHundredIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegCodec.Encode(Scene(8, 8), 0));
}
