using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Memory;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// Gradient traces with every tensor on pooled arrays (threshold lowered to 16 floats), cold and warm, give the same
/// bits as traces on fresh arrays: no kernel reads memory it did not write (a recycled array holds stale values, fresh
/// pages hold zeros), and no array is recycled while a trace can still read it. The fresh-array values themselves are
/// checked against PyTorch by <see cref="LlavaParityTests"/>; this test pins the pool to them bit for bit.
/// </summary>
[NonParallelizable]
public sealed class PooledMemoryTests
{
    [Test]
    public void GradientTracesOnRecycledArraysMatchTracesOnFreshOnes()
    {
        using var dir = new TempDir("pooled-trace");
        var arch = new TinyLlava { KvHeads = 2, Seed = 5 };
        arch.Save(dir.File("model"));
        var model = LlavaModel.Load(dir.File("model"));
        var prepared = model.FromTokenIds(arch.PromptIds(3, 5, arch.Seed), Tensor.Randn(new Random(15), 1, 3, arch.ImageSize, arch.ImageSize));

        int minimum = BufferPool.MinimumPooledFloats;
        long idleLimit = TensorMemory.IdleLimitBytes;
        try
        {
            BufferPool.MinimumPooledFloats = int.MaxValue;
            var fresh = TraceValues(model, prepared);
            BufferPool.MinimumPooledFloats = 16;
            TensorMemory.IdleLimitBytes = 1L << 30;
            long reusedBefore = BufferPool.Reused;
            var cold = TraceValues(model, prepared);
            TensorMemory.Collect(); // the first pooled trace's arrays, stale values and all, go back to the pool
            var warm = TraceValues(model, prepared);
            Assert.That(BufferPool.Reused - reusedBefore, Is.GreaterThan(100), "the warm trace ran on recycled arrays");
            foreach (var (name, values) in fresh)
            {
                Assert.That(cold[name], Is.EqualTo(values), $"{name}: first pooled trace");
                Assert.That(warm[name], Is.EqualTo(values), $"{name}: trace on recycled arrays");
            }
        }
        finally
        {
            BufferPool.MinimumPooledFloats = minimum;
            TensorMemory.IdleLimitBytes = idleLimit;
            TensorMemory.Trim();
        }
    }

    // Everything a trace exposes, copied out, with a collection between forward and backward so that any array the
    // graph still needs but nothing references would already have been recycled and overwritten.
    private static Dictionary<string, float[]> TraceValues(LlavaModel model, PreparedInput prepared)
    {
        var trace = model.Forward(prepared, [4, 9], TraceOptions.Everything);
        TensorMemory.Collect();
        var overwrite = Enumerable.Range(0, 64).Select(i => Tensor.Full(float.NaN, 16 + i * 7)).ToList();
        trace.Backward(trace.AnswerLogProbability());
        GC.KeepAlive(overwrite);
        var values = new Dictionary<string, float[]> { ["logits"] = trace.Logits.ToArray(), ["pixels grad"] = trace.Pixels.Grad!.ToArray() };
        for (int i = 0; i < trace.LanguageAttentions.Count; i++)
        {
            values[$"LM attention {i}"] = trace.LanguageAttentions[i].ToArray();
            values[$"LM attention {i} grad"] = trace.LanguageAttentions[i].Grad!.ToArray();
        }
        for (int i = 0; i < trace.LanguageHiddenStates.Count; i++)
            values[$"LM hidden {i} grad"] = trace.LanguageHiddenStates[i].Grad!.ToArray();
        for (int i = 0; i < trace.VisionAttentions.Count; i++)
            values[$"vision attention {i} grad"] = trace.VisionAttentions[i].Grad!.ToArray();
        return values;
    }
}
