using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;
using static LvlmEval.Tests.Tensors.SafetensorsTestFiles;

namespace LvlmEval.Tests.Tensors;

/// <summary>Sharded checkpoints: Hugging Face's split rule and index, read back by the oracle and by <see cref="SafetensorsCheckpoint"/>.</summary>
public sealed class SafetensorsCheckpointTests
{
    /// <summary>Sizes in floats chosen so the split is easy to work out by hand with a 400-byte limit (100 floats).</summary>
    private static List<(string Name, Tensor Tensor)> Sample()
    {
        var rng = new Random(7);
        return
        [
            ("embed.weight", Tensor.Randn(rng, 6, 10)),   // 240 B -> shard 1
            ("layer.0.weight", Tensor.Randn(rng, 4, 10)), // 160 B -> shard 1 (400 B, at the limit)
            ("layer.0.bias", Tensor.Randn(rng, 10)),      //  40 B -> opens the next shard, which stays open
            ("lm_head.weight", Tensor.Randn(rng, 12, 10)),// 480 B, above the limit -> a shard of its own, closed at once (2)
            ("norm.weight", Tensor.Randn(rng, 10)),       //  40 B -> joins layer.0.bias, the last shard (3)
        ];
    }

    [Test]
    public void ShardedSaveFollowsTheHuggingFaceSplitAndRoundTrips()
    {
        using var dir = new TempDir();
        var tensors = Sample();
        var written = SafetensorsWriter.SaveSharded(dir.Path, tensors, maxShardBytes: 400, new Dictionary<string, string> { ["format"] = "pt" });
        Assert.That(written, Is.EqualTo(new[]
        {
            "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors",
            ShardIndex.IndexFileName,
        }));

        var decoded = dir.File("decoded");
        using var report = JsonDocument.Parse(PythonOracle.Run("safetensors_oracle.py", "read-index", dir.Path, decoded));
        var shards = report.RootElement.GetProperty("shards");
        Assert.That(shards.GetProperty("model-00001-of-00003.safetensors").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "embed.weight", "layer.0.weight" }));
        Assert.That(shards.GetProperty("model-00002-of-00003.safetensors").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "lm_head.weight" }));
        Assert.That(shards.GetProperty("model-00003-of-00003.safetensors").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "layer.0.bias", "norm.weight" }));
        Assert.That(report.RootElement.GetProperty("total_size").GetInt64(), Is.EqualTo(4L * (60 + 40 + 10 + 120 + 10)));

        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        Assert.That(checkpoint.Files, Has.Count.EqualTo(3));
        Assert.That(checkpoint.Names, Is.EquivalentTo(tensors.Select(t => t.Name)));
        foreach (var (name, t) in tensors)
        {
            Assert.That(checkpoint.Contains(name));
            AssertBitsEqual(t.Data, ReadFloats(Path.Combine(decoded, name + ".decoded.bin")), $"oracle {name}");
            var back = checkpoint.ReadTensor(name);
            Assert.That(back.Shape, Is.EqualTo(t.Shape));
            AssertBitsEqual(t.Data, back.Data, name);
        }
        Assert.That(checkpoint.FileOf("norm.weight").Metadata["format"], Is.EqualTo("pt"));
    }

    [Test]
    public void ASingleShardIsSavedAsModelSafetensorsWithoutIndexAndStaleShardsAreRemoved()
    {
        using var dir = new TempDir();
        SafetensorsWriter.SaveSharded(dir.Path, Sample(), maxShardBytes: 400);
        var written = SafetensorsWriter.SaveSharded(dir.Path, Sample(), maxShardBytes: 1 << 20, dtype: SafetensorsDType.BF16);
        Assert.That(written, Is.EqualTo(new[] { ShardIndex.SingleFileName }));
        Assert.That(Directory.GetFiles(dir.Path).Select(Path.GetFileName), Is.EqualTo(new[] { ShardIndex.SingleFileName }));
        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        Assert.That(checkpoint.Info("lm_head.weight").DType, Is.EqualTo(SafetensorsDType.BF16));
        Assert.That(checkpoint.Names, Has.Count.EqualTo(5));
    }

    [Test]
    public void MissingShardIsNamedWithTheIndexFileAndTensor()
    {
        using var dir = new TempDir();
        SafetensorsWriter.SaveSharded(dir.Path, Sample(), maxShardBytes: 400);
        File.Delete(dir.File("model-00002-of-00003.safetensors"));
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.That(ex!.File, Is.EqualTo(dir.File(ShardIndex.IndexFileName)));
        Assert.That(ex.TensorName, Is.EqualTo("lm_head.weight"));
        Assert.That(ex.Message, Does.Contain("model-00002-of-00003.safetensors").And.Contain("does not exist"));
    }

    [Test]
    public void IndexPointingAtTheWrongShardIsRefused()
    {
        using var dir = new TempDir();
        SafetensorsWriter.SaveSharded(dir.Path, Sample(), maxShardBytes: 400);
        var index = dir.File(ShardIndex.IndexFileName);
        var original = File.ReadAllText(index);
        var text = original.Replace("\"norm.weight\": \"model-00003-of-00003.safetensors\"", "\"norm.weight\": \"model-00001-of-00003.safetensors\"");
        Assert.That(text, Is.Not.EqualTo(original), "the index edit must apply");
        File.WriteAllText(index, text);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.That(ex!.TensorName, Is.EqualTo("norm.weight"));
        Assert.That(ex.Message, Does.Contain(index).And.Contain("does not contain it"));
    }

    [TestCase("""{"weight_map": {"a": "../elsewhere.safetensors"}}""", "a", "not a file name")]
    [TestCase("""{"weight_map": {"a": 3}}""", "a", "must be a shard file name")]
    [TestCase("""{"metadata": {"total_size": 1}}""", null, "no 'weight_map'")]
    [TestCase("""{"weight_map": """, null, "not valid JSON")]
    public void MalformedIndexIsRefused(string json, string? tensor, string phrase)
    {
        using var dir = new TempDir();
        var index = dir.File(ShardIndex.IndexFileName);
        File.WriteAllText(index, json);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.That(ex!.File, Is.EqualTo(index));
        Assert.That(ex.TensorName, Is.EqualTo(tensor));
        Assert.That(ex.Message, Does.Contain(phrase));
    }

    [Test]
    public void SeveralShardsWithoutAnIndexAreRefused()
    {
        using var dir = new TempDir();
        SafetensorsWriter.SaveSharded(dir.Path, Sample(), maxShardBytes: 400);
        File.Delete(dir.File(ShardIndex.IndexFileName));
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.That(ex!.Message, Does.Contain(dir.Path).And.Contain("3 .safetensors files").And.Contain(ShardIndex.IndexFileName));
    }

    [Test]
    public void EmptyFolderAndMissingTensorGiveClearErrors()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());

        SafetensorsWriter.Save(dir.File("weights.safetensors"), [("x", Tensor.Full(1f, 2))]);
        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        var ex = Assert.Throws<TensorNotFoundException>(() => checkpoint.ReadTensor("y"));
        Assert.That(ex!.Message, Does.Contain(dir.Path).And.Contain("'y'").And.Contain("'x'"));
    }

    [Test]
    public void AFileOrAnIndexPathCanBeOpenedDirectly()
    {
        using var dir = new TempDir();
        var tensors = Sample();
        SafetensorsWriter.SaveSharded(dir.Path, tensors, maxShardBytes: 400);
        using (var viaIndex = SafetensorsCheckpoint.Open(dir.File(ShardIndex.IndexFileName)))
            Assert.That(viaIndex.Names, Has.Count.EqualTo(tensors.Count));
        using var viaFile = SafetensorsCheckpoint.Open(dir.File("model-00002-of-00003.safetensors"));
        Assert.That(viaFile.Names, Is.EqualTo(new[] { "lm_head.weight" }));
        AssertBitsEqual(tensors[3].Tensor.Data, viaFile.ReadTensor("lm_head.weight").Data, "lm_head.weight");
    }
}
