using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;
using static LvlmEval.Tests.Tensors.SafetensorsTestFiles;

namespace LvlmEval.Tests.Tensors;

/// <summary>Malformed files are refused at open with a <see cref="SafetensorsFormatException"/> naming the file and tensor.</summary>
public sealed class SafetensorsCorruptionTests
{
    /// <summary>Header, data bytes, expected tensor in the error (null = file-level) and a phrase of the message.</summary>
    [TestCase("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "b", "overlap tensor 'a'", TestName = "Overlapping offsets")]
    [TestCase("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", 20, "w", "needs 24 bytes", TestName = "Shape and byte length disagree")]
    [TestCase("""{"w":{"dtype":"F12","shape":[2],"data_offsets":[0,4]}}""", 4, "w", "unknown dtype 'F12'", TestName = "Unknown dtype")]
    [TestCase("""{"w":{"dtype":"F32","shape":[1000],"data_offsets":[0,4000]}}""", 16, "w", "run past the end of the data section", TestName = "Offsets outside the file")]
    [TestCase("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "w", "end before they begin", TestName = "Reversed offsets")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "b", "gap of 4 bytes", TestName = "Gap between tensors")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 12, "a", "trailing bytes", TestName = "Trailing bytes")]
    [TestCase("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "w", "non-negative integer", TestName = "Negative dimension")]
    [TestCase("""{"w":{"dtype":"F32","data_offsets":[0,4]}}""", 4, "w", "'shape'", TestName = "Missing shape")]
    [TestCase("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "w", "twice", TestName = "Duplicate name")]
    [TestCase("""{"w":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,4]}}""", 4, "w", "overflows", TestName = "Shape overflow")]
    [TestCase("""{"w": [1, 2]}""", 0, "w", "entry must be an object", TestName = "Entry not an object")]
    [TestCase("""{"__metadata__":{"format":5}}""", 0, null, "must be a string", TestName = "Metadata value not a string")]
    [TestCase("""{"w":{"dtype":"F32",""", 0, null, "not valid JSON", TestName = "Non-JSON header")]
    [TestCase("""[1, 2, 3]""", 0, null, "must be a JSON object", TestName = "Header is an array")]
    public void MalformedHeaderIsRefusedNamingFileAndTensor(string header, int dataBytes, string? tensor, string phrase)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.safetensors");
        WriteRaw(path, header, dataBytes);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.That(ex!.File, Is.EqualTo(path));
        Assert.That(ex.TensorName, Is.EqualTo(tensor));
        Assert.That(ex.Message, Does.Contain(path).And.Contain(phrase));
        if (tensor is not null) Assert.That(ex.Message, Does.Contain($"'{tensor}'"));
    }

    [Test]
    public void TruncatedFileNamesTheTensorThatNoLongerFits()
    {
        using var dir = new TempDir();
        var path = dir.File("t.safetensors");
        SafetensorsWriter.Save(path, [("first", Tensor.Full(1f, 4)), ("second", Tensor.Full(2f, 8))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.That(ex!.TensorName, Is.EqualTo("second"));
        Assert.That(ex.Message, Does.Contain(path).And.Contain("'second'").And.Contain("truncated"));
    }

    [TestCase(0)]
    [TestCase(5)]
    public void FileShorterThanTheLengthPrefixIsRefused(int length)
    {
        using var dir = new TempDir();
        var path = dir.File("tiny.safetensors");
        File.WriteAllBytes(path, new byte[length]);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.That(ex!.Message, Does.Contain(path).And.Contain($"{length} bytes"));
    }

    [Test]
    public void HeaderLengthPastEndOfFileIsRefused()
    {
        using var dir = new TempDir();
        var path = dir.File("h.safetensors");
        WriteRaw(path, """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, declaredHeaderLength: 4096);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("header length 4096 runs past the end of the file"));
    }

    [Test]
    public void AbsurdHeaderLengthIsRefusedBeforeReadingIt()
    {
        using var dir = new TempDir();
        var path = dir.File("huge.safetensors");
        WriteRaw(path, "{}", 0, declaredHeaderLength: 1UL << 40);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("exceeds the maximum"));
    }

    [Test]
    public void WellFormedHandBuiltFileIsAccepted()
    {
        // The same builder as the failure cases, with a consistent header: guards against tests that fail for the wrong reason.
        using var dir = new TempDir();
        var path = dir.File("ok.safetensors");
        WriteRaw(path, """{"__metadata__":{"k":"v"},"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12);
        using var f = SafetensorsFile.Open(path);
        Assert.That(f.Names, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(f.Info("b").ByteLength, Is.EqualTo(4));
        Assert.That(f.Metadata["k"], Is.EqualTo("v"));
    }
}
