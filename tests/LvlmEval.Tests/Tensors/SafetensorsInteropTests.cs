using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;
using static LvlmEval.Tests.Tensors.SafetensorsTestFiles;

namespace LvlmEval.Tests.Tensors;

/// <summary>Files written by PyTorch load bit-exactly; files we write are read back by an independent struct + json parser and PyTorch.</summary>
public sealed class SafetensorsInteropTests
{
    private const string Oracle = "safetensors_oracle.py";

    [Test]
    public void TorchWrittenFileLoadsBitExactly()
    {
        using var dir = new TempDir();
        using var manifest = JsonDocument.Parse(PythonOracle.Run(Oracle, "write", dir.Path));
        using var file = SafetensorsFile.Open(dir.File("torch.safetensors"));

        Assert.That(file.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "seed 1234" }));
        Assert.That(file.Names, Is.EquivalentTo(manifest.RootElement.EnumerateObject().Select(p => p.Name)));
        foreach (var entry in manifest.RootElement.EnumerateObject())
        {
            var name = entry.Name;
            var dtype = entry.Value.GetProperty("dtype").GetString()!;
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var info = file.Info(name);
            Assert.That(info.DType.HeaderName(), Is.EqualTo(dtype), name);
            Assert.That(info.Shape, Is.EqualTo(shape), name);
            var expectedPath = Path.Combine(dir.Path, "expected", name + ".bin");

            if (dtype.StartsWith('I'))
            {
                var expected = ReadLongs(expectedPath);
                Assert.That(file.ReadInt64(name), Is.EqualTo(expected), name);
                if (dtype == "I32") Assert.That(file.ReadInt32(name), Is.EqualTo(expected.Select(v => (int)v).ToArray()), name);
                else Assert.Throws<InvalidOperationException>(() => file.ReadInt32(name), "I64 does not narrow silently");
                Assert.Throws<InvalidOperationException>(() => file.ReadTensor(name), "integers are not floats unless asked");
                AssertBitsEqual(ReadFloats(Path.Combine(dir.Path, "expected", name + ".float.bin")),
                    file.ReadTensor(name, convertIntegers: true).Data, $"{name} as float");
            }
            else
            {
                var tensor = file.ReadTensor(name);
                Assert.That(tensor.Shape, Is.EqualTo(shape.Select(d => (int)d).ToArray()), name);
                AssertBitsEqual(ReadFloats(expectedPath), tensor.Data, name);
            }
        }
    }

    [TestCase(SafetensorsDType.F32)]
    [TestCase(SafetensorsDType.F16)]
    [TestCase(SafetensorsDType.BF16)]
    public void WrittenFileIsReadByTheIndependentParserWithTorchRounding(SafetensorsDType dtype)
    {
        using var dir = new TempDir();
        var rng = new Random(20240611);
        var tensors = new List<(string Name, Tensor Tensor)>
        {
            ("tricky", new Tensor(TrickyValues(rng, 4096), 4096 + TrickyBits.Length)),
            ("model.layers.0.proj", Tensor.Randn(rng, 8, 12)),
            ("a_scalar", Tensor.Scalar(-2.75f)),
            ("empty.bias", new Tensor(0, 5)),
            ("Zed", Tensor.Uniform(rng, -3e4f, 3e4f, 3, 7)),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["quote\"and\\slash"] = "é ü 中" };
        var path = dir.File("ours.safetensors");
        SafetensorsWriter.Save(path, tensors, metadata, dtype);

        var sources = Directory.CreateDirectory(dir.File("src")).FullName;
        foreach (var (name, t) in tensors) WriteFloats(Path.Combine(sources, name + ".f32"), t.Data);
        var decodedDir = dir.File("decoded");
        using var report = JsonDocument.Parse(PythonOracle.Run(Oracle, "read", path, decodedDir, sources));

        var reportedMetadata = report.RootElement.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.That(reportedMetadata, Is.EquivalentTo(metadata));
        using var ours = SafetensorsFile.Open(path);
        Assert.That(ours.Metadata, Is.EquivalentTo(metadata));
        foreach (var (name, t) in tensors)
        {
            var reported = report.RootElement.GetProperty("tensors").GetProperty(name);
            Assert.That(reported.GetProperty("dtype").GetString(), Is.EqualTo(dtype.HeaderName()), name);
            Assert.That(reported.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), Is.EqualTo(t.Shape), name);

            var decoded = ReadFloats(Path.Combine(decodedDir, name + ".decoded.bin"));
            var torchConverted = ReadFloats(Path.Combine(decodedDir, name + ".expected.bin"));
            AssertSameRounding(torchConverted, decoded, $"{dtype} {name}");
            if (dtype == SafetensorsDType.F32) AssertBitsEqual(t.Data, decoded, $"{name} stored as F32");
            // Our reader decodes the same stored bits exactly as torch's .float() does, NaN payloads included.
            AssertBitsEqual(decoded, ours.ReadTensor(name).Data, $"{name} read back");
        }

        // Byte for byte the layout of the reference writer: the oracle re-serialises our tensors with its own writer.
        var rewritten = dir.File("rewritten.safetensors");
        PythonOracle.Run(Oracle, "rewrite", path, rewritten);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(File.ReadAllBytes(rewritten)));
    }

    [Test]
    public void WriterReplacesFilesAtomicallyAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDir();
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Save(path, [("a", Tensor.Full(1f, 3))]);
        SafetensorsWriter.Save(path, [("b", Tensor.Full(2f, 2))]);
        using var f = SafetensorsFile.Open(path);
        Assert.That(f.Names, Is.EqualTo(new[] { "b" }));
        Assert.That(f.ReadTensor("b").ToArray(), Is.EqualTo(new[] { 2f, 2f }));
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void MissingTensorNameListsTheFileAndAvailableNames()
    {
        using var dir = new TempDir();
        var path = dir.File("m.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["encoder.weight"] = new(2, 2), ["encoder.bias"] = new(2) });
        using var f = SafetensorsFile.Open(path);
        var ex = Assert.Throws<TensorNotFoundException>(() => f.ReadTensor("decoder.weight"));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("decoder.weight").And.Contain("encoder.bias").And.Contain("encoder.weight"));
        Assert.That(ex.TensorName, Is.EqualTo("decoder.weight"));
    }

    /// <summary>Where torch produces NaN only NaN-ness is compared: torch itself emits different NaN bits on its vector and scalar paths.</summary>
    private static void AssertSameRounding(float[] torchConverted, float[] actual, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(torchConverted.Length), what);
        for (int i = 0; i < actual.Length; i++)
        {
            if (float.IsNaN(torchConverted[i]))
                Assert.That(float.IsNaN(actual[i]), $"{what}: element {i} should be NaN, is {actual[i]}");
            else if (BitConverter.SingleToUInt32Bits(torchConverted[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} rounds to 0x{BitConverter.SingleToUInt32Bits(actual[i]):X8}, torch gives 0x{BitConverter.SingleToUInt32Bits(torchConverted[i]):X8}.");
        }
    }

    /// <summary>Rounding edge cases for F16 and BF16: ties to even and odd, overflow to infinity, subnormals, signed zeros, NaNs.</summary>
    private static readonly uint[] TrickyBits =
    [
        0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001,
        0x7F7FFFFF, 0x7F7F8000, 0x7F7F7FFF, 0xFF7F8000,
        0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0xBF818000,
        0x00000001, 0x00008000, 0x00018000, 0x807FFFFF, 0x00800000,
        0x477FE000, 0x477FEFFF, 0x477FF000, 0xC77FF000, 0x33800000, 0x33000000, 0x33000001, 0x33C00000,
        0x3F801000, 0x3F803000, 0x38800000, 0x387FC000, 0x387FE000,
    ];

    /// <summary>The edge cases followed by uniformly random bit patterns (which include NaNs and subnormals).</summary>
    private static float[] TrickyValues(Random rng, int randomCount)
    {
        var values = new float[TrickyBits.Length + randomCount];
        for (int i = 0; i < TrickyBits.Length; i++) values[i] = BitConverter.UInt32BitsToSingle(TrickyBits[i]);
        for (int i = 0; i < randomCount; i++) values[TrickyBits.Length + i] = BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32));
        return values;
    }
}
