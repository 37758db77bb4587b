using LvlmEval.Models;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>The memory estimate counts weights as a loaded model holds them, and <c>models inspect</c> reports it with the bytes on disk.</summary>
public sealed class MemoryEstimateTests
{
    [Test]
    public void WeightBytesCountHalfWidthMatricesAtTheirStoredSizeAndTheRestAsFloat32()
    {
        var arch = new TinyLlava { DType = SafetensorsDType.F16, Sharded = true, FeatureLayer = -1 };
        using var dir = new TempDir("memory-estimate");
        var weights = arch.Weights();
        arch.Save(dir.Path, weights);

        // What the loader keeps: every 2-D tensor but the position table in place at 2 bytes, every other tensor as float32.
        long asStored = weights.Sum(w => w.Tensor.Rank == 2 && !w.Name.Contains("position_embedding") ? 2L * w.Tensor.Length : 4L * w.Tensor.Length);
        long asFloat32 = weights.Sum(w => 4L * w.Tensor.Length);
        using (var checkpoint = SafetensorsCheckpoint.Open(dir.Path))
        {
            Assert.That(MemoryEstimator.WeightBytes(checkpoint, WeightStorage.AsStored), Is.EqualTo(asStored));
            Assert.That(MemoryEstimator.WeightBytes(checkpoint, WeightStorage.Float32), Is.EqualTo(asFloat32));
        }

        // The loaded model holds exactly that (feature layer -1 runs every tower layer; only the post-layernorm is skipped).
        var model = LlavaModel.Load(dir.Path);
        long skipped = weights.Where(w => w.Name.Contains("post_layernorm")).Sum(w => 4L * w.Tensor.Length);
        long held = model.HalfWidthWeights.Sum(w => w.Matrix.StoredBytes) + 4 * (model.ParameterCount - model.HalfWidthWeights.Sum(w => w.Matrix.Length));
        Assert.That(held, Is.EqualTo(asStored - skipped));

        var estimate = MemoryEstimator.Estimate(dir.Path);
        Assert.That(estimate.Tokens, Is.EqualTo(arch.ImageTokens + MemoryEstimator.DefaultTextTokens));
        Assert.That(estimate.GenerateBytes, Is.GreaterThan(estimate.WeightBytes + MemoryEstimator.RuntimeBytes));
        Assert.That(estimate.PeakFor(new TraceOptions { Gradients = true, RecomputeLayers = false }), Is.EqualTo(Math.Max(estimate.GenerateBytes, estimate.GradientExplanationBytes)));
        Assert.That(estimate.PeakFor(new TraceOptions { Gradients = true, RecomputeLayers = true }), Is.EqualTo(Math.Max(estimate.GenerateBytes, estimate.RecomputedGradientExplanationBytes)));
        Assert.That(estimate.PeakFor(new TraceOptions { Gradients = true }), Is.EqualTo(Math.Max(estimate.GenerateBytes,
            Math.Min(estimate.GradientExplanationBytes, estimate.RecomputedGradientExplanationBytes))), "the model recomputes layers when the full trace would not fit");
        Assert.That(estimate.PeakFor(new TraceOptions { LanguageAttentions = true }), Is.EqualTo(estimate.GenerateBytes));
    }

    [Test]
    public void InspectReportsStoredDTypeBytesOnDiskAndEstimates()
    {
        var arch = new TinyLlava { DType = SafetensorsDType.BF16, Sharded = true };
        using var dir = new TempDir("memory-inspect");
        arch.Save(dir.Path);
        var summary = ModelInspector.Inspect(dir.Path);
        long onDisk = Directory.GetFiles(dir.Path, "*.safetensors").Sum(f => new FileInfo(f).Length);
        Assert.That(summary.DiskBytes, Is.EqualTo(onDisk));
        Assert.That(summary.Memory.WeightBytes, Is.LessThan(summary.MemoryAsFloat32.WeightBytes));
        var text = ModelInspector.Describe(dir.Path);
        Assert.That(text, Does.Contain("Stored dtypes: BF16"));
        Assert.That(text, Does.Contain("On disk:").And.Contain("Memory (est.): weights").And.Contain("gradient explanation"));
    }

    [Test]
    public void AnonymousResidentBytesLeaveOutMappedWeights()
    {
        // 50 MB of F16 weights mapped and read: resident file-backed pages, which MemAvailable also counts as page cache,
        // so the gap between the resident total and the anonymous bytes grows by about their size.
        using var dir = new TempDir("memory-anonymous");
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Save(path, [("w", new LvlmEval.Tensors.Tensor(6144, 4096))], dtype: SafetensorsDType.F16);
        using var file = SafetensorsFile.Open(path);
        var weight = file.MapMatrix("w");
        long before = FileBacked();
        var row = new float[weight.Columns];
        for (int r = 0; r < weight.Rows; r++) weight.WidenRows(r, 1, row);
        long after = FileBacked();
        Assert.That(after - before, Is.GreaterThan(45_000_000), $"file-backed resident bytes grew by {after - before}");

        static long FileBacked()
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return self.WorkingSet64 - MemoryEstimator.AnonymousResidentBytes();
        }
    }
}
