using LvlmEval.Imaging;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>Damaged files fail with <see cref="ImageDecodeException"/> naming the file, never a crash; PIL rejects each one too.</summary>
public sealed class CorruptInputTests
{
    private TempDir _dir = null!;
    private Dictionary<string, string> _pilVerdicts = null!;

    [OneTimeSetUp]
    public void GenerateFixtures()
    {
        _dir = new TempDir("imaging-corrupt");
        _pilVerdicts = PythonOracle.Run("imaging_corrupt.py", _dir.Path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p[1]);
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    [TestCase("truncated.jpg", "truncated")]
    [TestCase("header_only.jpg", "JPEG")]
    [TestCase("huge_header.jpg", "65000×65000")]
    [TestCase("zero_byte.jpg", "empty")]
    [TestCase("zero_byte.png", "empty")]
    [TestCase("text.jpg", "not a JPEG or PNG")]
    [TestCase("bad_ihdr_crc.png", "CRC")]
    [TestCase("bad_idat_crc.png", "CRC")]
    [TestCase("truncated.png", "PNG")]
    [TestCase("huge_header.png", "100000×100000")]
    public void CorruptFileRaisesDecodeExceptionNamingTheFile(string name, string reasonFragment)
    {
        Assert.That(_pilVerdicts[name], Is.EqualTo("rejected"), "PIL should reject this fixture too");
        string path = _dir.File(name);
        var ex = Assert.Throws<ImageDecodeException>(() => RgbImage.Load(path));
        Assert.That(ex!.Message, Does.Contain(path));
        Assert.That(ex.FilePath, Is.EqualTo(path));
        Assert.That(ex.Message, Does.Contain(reasonFragment).IgnoreCase);
    }

    [Test]
    public void MissingFileRaisesDecodeExceptionNamingTheFile()
    {
        string path = _dir.File("does-not-exist.png");
        var ex = Assert.Throws<ImageDecodeException>(() => RgbImage.Load(path));
        Assert.That(ex!.Message, Does.Contain(path));
    }

    [Test]
    public void IndexedDecodeOfCorruptPngRaisesDecodeException()
    {
        string path = _dir.File("bad_idat_crc.png");
        var ex = Assert.Throws<ImageDecodeException>(() => IndexedImage.Load(path));
        Assert.That(ex!.Message, Does.Contain(path));
    }
}
