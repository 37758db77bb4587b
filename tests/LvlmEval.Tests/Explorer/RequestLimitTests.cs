using System.Buffers.Binary;
using LvlmEval.Explainers;
using LvlmEval.Explorer.Serving;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// Bad requests get a 400 with a one-line JSON reason naming the field (never a stack trace), and the server answers the
/// next good request: image over 20 MB or over 8,000 px a side, prompt over 4,000 characters, more than 64 new tokens,
/// files that are not images, truncated images, unknown models, templates and explainers.
/// </summary>
public sealed class RequestLimitTests
{
    // A PNG whose header declares width × height (with an empty IDAT), so a size check must refuse it before decoding.
    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        Chunk(stream, "IHDR", ihdr);
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(body);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(body));
        stream.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309 polynomial, reflected), bit by bit.
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] Scene => File.ReadAllBytes(ExplorerFixture.Scene.Path);

    public static IEnumerable<TestCaseData> BadRequests()
    {
        string prompt = "What colour is the circle?";
        yield return new TestCaseData("image over 20 MB", new Func<byte[]>(() => [.. Scene, .. new byte[20 * 1024 * 1024]]), "scene.png", new[] { ("prompt", prompt) }, "20 MB");
        yield return new TestCaseData("8001 px wide", new Func<byte[]>(() => PngHeaderOnly(8001, 10)), "wide.png", new[] { ("prompt", prompt) }, "8000 px");
        yield return new TestCaseData("8001 px high JPEG", new Func<byte[]>(() => JpegWithDeclaredSize(10, 8001)), "tall.jpg", new[] { ("prompt", prompt) }, "8000 px");
        yield return new TestCaseData("prompt of 4001 characters", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", new string('a', 4001)) }, "4000");
        yield return new TestCaseData("65 new tokens", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("max_new_tokens", "65") }, "max_new_tokens");
        yield return new TestCaseData("0 new tokens", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("max_new_tokens", "0") }, "max_new_tokens");
        yield return new TestCaseData("non-numeric new tokens", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("max_new_tokens", "many") }, "max_new_tokens");
        yield return new TestCaseData("text file as image", new Func<byte[]>(() => "not an image"u8.ToArray()), "notes.png", new[] { ("prompt", prompt) }, "not a JPEG or PNG");
        yield return new TestCaseData("empty image", new Func<byte[]>(() => []), "empty.png", new[] { ("prompt", prompt) }, "empty");
        yield return new TestCaseData("truncated PNG", new Func<byte[]>(() => Scene[..60]), "cut.png", new[] { ("prompt", prompt) }, "image");
        yield return new TestCaseData("missing prompt", new Func<byte[]>(() => Scene), "scene.png", Array.Empty<(string, string)>(), "prompt");
        yield return new TestCaseData("unknown model", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("model", "gpt") }, "unknown model 'gpt'");
        yield return new TestCaseData("unknown template", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("template", "alpaca") }, "template");
        yield return new TestCaseData("template none without <image>", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("template", "none") }, "<image>");
        yield return new TestCaseData("unknown edit", new Func<byte[]>(() => Scene), "scene.png", new[] { ("prompt", prompt), ("edit", "erase") }, "edit");
    }

    // A JPEG start (SOI, then a baseline start-of-frame declaring the size) with nothing after it.
    private static byte[] JpegWithDeclaredSize(int width, int height)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08 };
        bytes.AddRange([(byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
        return [.. bytes];
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task BadAskIsRefusedWithOneLineAndTheServerKeepsServing(string what, Func<byte[]> image, string fileName, (string, string)[] fields, string reasonContains)
    {
        string[] withModel = fields.Any(f => f.Item1 == "model") ? [] : ["tiny-llava-shapes"];
        var all = withModel.Select(m => ("model", m)).Concat(fields).ToArray();
        // Edits belong to asking; /api/explain has no edit fields.
        string[] paths = fields.Any(f => f.Item1 == "edit") ? ["/api/ask"] : ["/api/ask", "/api/explain"];
        foreach (var path in paths)
        {
            var (status, body, text) = await ExplorerFixture.Post(path, ExplorerFixture.Form(image(), fileName, all));
            Assert.That(status, Is.EqualTo(400), $"{what} at {path}: {text}");
            var error = (string?)body?["error"];
            Assert.That(error, Does.Contain(reasonContains), $"{what} at {path}");
            Assert.That(error, Does.Not.Contain("\n").And.Not.Contain("   at "), "one line, no stack trace");
        }
        var good = await ExplorerFixture.AskScene();
        Assert.That((string?)good["session"], Is.Not.Empty, "the server answers after the refusal");
    }

    [Test]
    public async Task NonMultipartBodyIsRefused()
    {
        var (status, body, _) = await ExplorerFixture.Post("/api/ask", new StringContent("{\"prompt\": \"hi\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(status, Is.EqualTo(400));
        Assert.That((string?)body!["error"], Does.Contain("multipart/form-data"));
    }

    [Test]
    public async Task UnknownExplainerIsRefusedListingTheValidOnes()
    {
        var fields = new[] { ("model", "tiny-llava-shapes"), ("prompt", ExplorerFixture.Scene.Prompt), ("explainer", "shap") };
        var (status, body, _) = await ExplorerFixture.Post("/api/explain", ExplorerFixture.Form(Scene, "scene.png", fields));
        Assert.That(status, Is.EqualTo(400));
        var error = (string?)body!["error"];
        Assert.That(error, Does.Contain("unknown explainer 'shap'; valid explainers: "), "the registry's wording, as the CLI and experiment files give it");
        foreach (var name in ExplainerRegistry.All.Names) Assert.That(error, Does.Contain(name), "lists the valid explainers");
    }

    [Test]
    public void HeaderDimensionsMatchTheDecodedImage()
    {
        // Truth: the size of images our encoders wrote (decoded back by the codecs, which libjpeg-turbo and libspng read).
        var image = new RgbImage(37, 21);
        Assert.That(ImageHeader.Dimensions(PngCodec.Encode(image)), Is.EqualTo((37, 21)));
        Assert.That(ImageHeader.Dimensions(JpegCodec.Encode(image)), Is.EqualTo((37, 21)));
        Assert.That(ImageHeader.Dimensions(JpegCodec.Encode(image, progressive: true)), Is.EqualTo((37, 21)));
        Assert.That(ImageHeader.Dimensions("GIF89a"u8), Is.Null);
    }
}
