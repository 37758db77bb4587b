using System.Runtime.CompilerServices;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Memory;

namespace LvlmEval.Tests.Tensors;

/// <summary>
/// The large-array pool: a dead tensor's array is handed out again, one still reachable (through a view, a captured
/// array or a retained gradient) never is, zero-filled tensors come back zeroed, the idle limit holds, and size
/// classes waste at most an eighth.
/// </summary>
[NonParallelizable]
public sealed class BufferPoolTests
{
    private const int Floats = 300_000; // above the default pooling threshold (1 MiB)
    private long _idleLimit;

    [SetUp]
    public void EmptyPool()
    {
        _idleLimit = TensorMemory.IdleLimitBytes;
        TensorMemory.IdleLimitBytes = 1L << 30;
        TensorMemory.Collect();
        TensorMemory.Trim();
    }

    [TearDown]
    public void RestoreLimit()
    {
        TensorMemory.IdleLimitBytes = _idleLimit;
        TensorMemory.Trim();
    }

    [Test]
    public void ADeadTensorsArrayIsHandedOutAgain()
    {
        var input = Tensor.Zeros(Floats);
        var array = DropTensorTrackingItsArray(Floats);
        TensorMemory.Collect();
        Assert.That(array.Target, Is.Not.Null, "the finalizer resurrects the array into the pool");
        Assert.That(TensorMemory.IdleBytes, Is.GreaterThanOrEqualTo(Floats * 4L));
        var output = Ops.Exp(input);
        Assert.That(StorageOf(output), Is.SameAs(array.Target), "a same-sized op output reuses the dead array");
        Assert.That(output.ToArray(), Is.All.EqualTo(1f));
        Assert.That(TensorMemory.IdleBytes, Is.Zero);
    }

    [Test]
    public void AnArrayStillReachableThroughAViewIsNotReused()
    {
        var view = ViewOfDroppedTensor(Floats, 5f);
        TensorMemory.Collect();
        var fresh = Filled(Floats, -1f);
        Assert.That(StorageOf(fresh), Is.Not.SameAs(StorageOf(view)));
        Assert.That(view.ToArray(), Is.All.EqualTo(5f), "the view's values survive other allocations");
        GC.KeepAlive(fresh);
    }

    [Test]
    public void AnArrayStillReachableOnlyAsARawArrayIsNotReused()
    {
        var raw = RawArrayOfDroppedTensor(Floats, 3f);
        TensorMemory.Collect();
        var fresh = Filled(Floats, -1f);
        Assert.That(StorageOf(fresh), Is.Not.SameAs(raw));
        Assert.That(raw.AsSpan(0, Floats).ToArray(), Is.All.EqualTo(3f));
    }

    [Test]
    public void ZeroFilledTensorsFromThePoolAreZero()
    {
        var array = DropTensorTrackingItsArray(Floats, fill: 7f);
        TensorMemory.Collect();
        var zeros = new Tensor(Floats);
        Assert.That(StorageOf(zeros), Is.SameAs(array.Target), "the zero-filled tensor reuses the dead array");
        Assert.That(zeros.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void NothingIsKeptBeyondTheIdleLimit()
    {
        TensorMemory.IdleLimitBytes = 0;
        var array = DropTensorTrackingItsArray(Floats);
        TensorMemory.Collect();
        Assert.That(TensorMemory.IdleBytes, Is.Zero);
        var next = Filled(Floats, 1f);
        Assert.That(StorageOf(next), Is.Not.SameAs(array.Target));
    }

    [Test]
    public void ALoopOfShortLivedTensorsRunsOnAFewArrays()
    {
        long budget = BufferPool.CollectionBudgetBytes;
        BufferPool.CollectionBudgetBytes = 16L << 20;
        try
        {
            long allocatedBefore = BufferPool.Allocated;
            var input = Tensor.Randn(new Random(2), 1 << 20); // 4 MiB
            float sum = 0;
            for (int i = 0; i < 64; i++) sum += Ops.Mul(input, 2f).Data[i]; // 256 MiB of products, each dead at once
            long fresh = BufferPool.Allocated - allocatedBefore;
            Assert.That(fresh, Is.LessThanOrEqualTo(16 / 4 + 3), "once the budget is handed out, an empty class collects before allocating");
            Assert.That(sum, Is.Not.NaN);
        }
        finally
        {
            BufferPool.CollectionBudgetBytes = budget;
        }
    }

    [Test]
    public void TensorsBelowTheThresholdAreLeftToTheGc()
    {
        var small = Filled(BufferPool.MinimumPooledFloats - 1, 1f);
        Assert.That(StorageOf(small).Length, Is.EqualTo(BufferPool.MinimumPooledFloats - 1), "no size class rounding below the threshold");
        Assert.That(GC.GetGeneration(StorageOf(small)), Is.Zero);
    }

    [Test]
    public void SizeClassesCoverEveryLengthWithAtMostAnEighthToSpare()
    {
        int previousClass = -1;
        for (long n = 16; n < int.MaxValue / 2; n = n * 21 / 20 + 1)
        {
            int length = (int)n, sizeClass = BufferPool.ClassOf(length), classLength = BufferPool.ClassLength(sizeClass);
            Assert.That(classLength, Is.GreaterThanOrEqualTo(length), $"class {sizeClass} of {length}");
            Assert.That(classLength, Is.LessThanOrEqualTo(length + length / 8 + 1), $"class {sizeClass} of {length}");
            Assert.That(sizeClass, Is.GreaterThanOrEqualTo(previousClass), "classes grow with the length");
            Assert.That(BufferPool.ClassOf(classLength), Is.EqualTo(sizeClass), "a class's own length maps to the class");
            previousClass = sizeClass;
        }
    }

    [Test]
    public void ConcurrentTensorsNeverShareAnArray()
    {
        int minimum = BufferPool.MinimumPooledFloats;
        BufferPool.MinimumPooledFloats = 64;
        try
        {
            var failures = 0;
            Parallel.For(0, 4, worker =>
            {
                var rng = new Random(worker);
                var live = new List<(Tensor Tensor, float Value)>();
                for (int i = 0; i < 3000; i++)
                {
                    float value = worker * 10_000 + i;
                    live.Add((Filled(64 + rng.Next(200), value), value));
                    if (live.Count > 8) live.RemoveAt(rng.Next(live.Count));
                    if (i % 500 == 0) TensorMemory.Collect();
                    foreach (var (tensor, expected) in live)
                        if (tensor.Data.ContainsAnyExcept(expected)) Interlocked.Increment(ref failures);
                }
            });
            Assert.That(failures, Is.Zero, "a live tensor's values changed: its array was handed to another tensor");
            Assert.That(BufferPool.Reused, Is.GreaterThan(0), "arrays were reused at all");
        }
        finally
        {
            BufferPool.MinimumPooledFloats = minimum;
        }
    }

    private static Tensor Filled(int length, float value) => Tensor.Full(value, length);

    private static float[] StorageOf(Tensor t) => t.Storage;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DropTensorTrackingItsArray(int length, float fill = 1f) =>
        new(Filled(length, fill).Storage, trackResurrection: true);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor ViewOfDroppedTensor(int length, float fill) => Ops.Reshape(Filled(length, fill), length / 4, 4);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float[] RawArrayOfDroppedTensor(int length, float fill) => Filled(length, fill).Storage;
}
