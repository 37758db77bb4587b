using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LvlmEval.Tensors.Memory;

/// <summary>
/// Recycles the float arrays of large tensors so their pages stay mapped. A gradient trace of a 0.5B model keeps
/// gigabytes of activations; when they die, the GC frees their regions and decommits them within a few collections,
/// and the next trace maps every page again (on a virtual machine that returns freed pages to its host, about 10 µs
/// a page: seconds a trace). Here a dead large array comes back to the pool instead.
/// <para>
/// Liveness stays the GC's: each pooled array is the key of a <see cref="ConditionalWeakTable{TKey,TValue}"/> entry
/// whose value, a finalizable lease, is kept alive exactly as long as the array is reachable (from a tensor, a view,
/// a closure or a span). When the array becomes unreachable the lease's finalizer runs, resurrects the array and
/// pushes it back; renting it again re-registers the lease. So an array is never handed out while anything can
/// still read it.
/// </para>
/// </summary>
internal static class BufferPool
{
    /// <summary>
    /// Arrays of at least this many floats (default 1 MiB) are pooled; smaller ones are the GC's young generation, which
    /// reuses its memory anyway. Tests lower it (to at least 16) to run whole models on pooled arrays.
    /// </summary>
    internal static int MinimumPooledFloats
    {
        get => _minimumPooledFloats;
        set => _minimumPooledFloats = Math.Max(16, value);
    }

    // Size classes: eight per power of two, so a rented array is at most 12.5 % longer than asked and prompts of
    // different lengths still share arrays.
    private const int ClassesPerOctave = 8;
    private const int FirstOctave = 3; // class lengths are 2^octave · (1 + k/8), k = 1 … 8
    private const int ClassCount = (31 - FirstOctave) * ClassesPerOctave;

    private static readonly ConcurrentStack<PooledArray>[] Idle = CreateClasses();
    private static readonly ConditionalWeakTable<float[], Lease> Leases = new();
    private static int _minimumPooledFloats = 1 << 18;
    private static long _idleBytes;
    private static long _rentedBytesSinceCollection;
    private static int _finalizerThreadId = -1;

    /// <summary>
    /// Most bytes the pool keeps idle (arrays waiting for reuse); more returned arrays are left to the GC. Default: half
    /// the memory the GC may use, enough for a gradient trace and its backward to run on recycled arrays; a collection
    /// under high memory load empties the pool.
    /// </summary>
    internal static long IdleLimitBytes { get; set; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>
    /// When a size class is empty and this many bytes were handed out since the last collection, the pool runs a full
    /// collection before allocating: those tensors have likely died, and dead pooled arrays would otherwise wait for a
    /// gen-2 collection the GC sizes by the (gigabytes of) live weights.
    /// </summary>
    internal static long CollectionBudgetBytes { get; set; } = 256L << 20;

    /// <summary>Counters for tests and benchmarks: arrays handed out again, arrays allocated, collections run.</summary>
    internal static long Reused, Allocated, Collections;

    /// <summary>Bytes currently idle in the pool.</summary>
    internal static long IdleBytes => Interlocked.Read(ref _idleBytes);

    /// <summary>An array of at least <paramref name="length"/> floats; its contents are undefined.</summary>
    internal static float[] Rent(int length)
    {
        if (length < MinimumPooledFloats) return GC.AllocateUninitializedArray<float>(length);
        int sizeClass = ClassOf(length);
        long bytes = (long)ClassLength(sizeClass) * sizeof(float);
        if (Interlocked.Add(ref _rentedBytesSinceCollection, bytes) - bytes >= CollectionBudgetBytes && Idle[sizeClass].IsEmpty) Collect();
        return TryTake(sizeClass, out var array) ? array : Allocate(sizeClass);
    }

    /// <summary>A full, non-compacting collection, then waits until the finalizers have returned every dead array.</summary>
    internal static void Collect()
    {
        Interlocked.Exchange(ref _rentedBytesSinceCollection, 0);
        Interlocked.Increment(ref Collections);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        // Waiting on the finalizer thread itself (a tensor made inside some finalizer) would never return.
        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _finalizerThreadId)) GC.WaitForPendingFinalizers();
        var memory = GC.GetGCMemoryInfo();
        if (memory.MemoryLoadBytes >= memory.HighMemoryLoadThresholdBytes) Trim(); // the machine needs the memory more than we do
    }

    /// <summary>Drops every idle array (for tests, and for callers that want the memory back).</summary>
    internal static void Trim()
    {
        foreach (var stack in Idle)
            while (stack.TryPop(out var item))
                Interlocked.Add(ref _idleBytes, -(long)item.Array.Length * sizeof(float));
    }

    private static bool TryTake(int sizeClass, out float[] array)
    {
        if (Idle[sizeClass].TryPop(out var item))
        {
            Interlocked.Add(ref _idleBytes, -(long)item.Array.Length * sizeof(float));
            GC.ReRegisterForFinalize(item.Lease);
            Interlocked.Increment(ref Reused);
            array = item.Array;
            return true;
        }
        array = null!;
        return false;
    }

    private static float[] Allocate(int sizeClass)
    {
        // Pinned: the pinned-object heap never moves these, so a long-lived activation is not copied between generations.
        var array = GC.AllocateUninitializedArray<float>(ClassLength(sizeClass), pinned: true);
        Leases.Add(array, new Lease(array, sizeClass));
        Interlocked.Increment(ref Allocated);
        return array;
    }

    private static void Return(float[] array, Lease lease, int sizeClass)
    {
        Volatile.Write(ref _finalizerThreadId, Environment.CurrentManagedThreadId);
        long bytes = (long)array.Length * sizeof(float);
        if (Interlocked.Add(ref _idleBytes, bytes) > IdleLimitBytes)
        {
            Interlocked.Add(ref _idleBytes, -bytes); // over the limit: let the GC have it
            return;
        }
        Idle[sizeClass].Push(new PooledArray(array, lease));
    }

    internal static int ClassOf(int length)
    {
        int octave = 31 - BitOperations.LeadingZeroCount((uint)(length - 1)); // 2^octave < length ≤ 2^(octave+1)
        long step = 1L << (octave - 3);
        int index = (int)((length - (1L << octave) + step - 1) / step); // 1 … 8 eighths above 2^octave
        return (octave - FirstOctave) * ClassesPerOctave + index - 1;
    }

    internal static int ClassLength(int sizeClass)
    {
        int octave = FirstOctave + sizeClass / ClassesPerOctave;
        int eighths = sizeClass % ClassesPerOctave + 1;
        return (int)Math.Min(Array.MaxLength, (1L << octave) + eighths * (1L << (octave - 3)));
    }

    private static ConcurrentStack<PooledArray>[] CreateClasses()
    {
        var classes = new ConcurrentStack<PooledArray>[ClassCount];
        for (int i = 0; i < classes.Length; i++) classes[i] = new ConcurrentStack<PooledArray>();
        return classes;
    }

    private readonly record struct PooledArray(float[] Array, Lease Lease);

    /// <summary>Finalized when its array becomes unreachable; hands the array back to the pool.</summary>
    private sealed class Lease(float[] array, int sizeClass)
    {
        ~Lease() => Return(array, this, sizeClass);
    }
}
