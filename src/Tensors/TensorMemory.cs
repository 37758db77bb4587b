using LvlmEval.Tensors.Memory;

namespace LvlmEval.Tensors;

/// <summary>
/// Process-wide control of tensor memory: large tensors' arrays come from a pool that keeps their pages mapped
/// between uses (see <c>BufferPool</c>); dead ones return to it after a full collection.
/// </summary>
public static class TensorMemory
{
    /// <summary>Most bytes kept idle for reuse (default: half the memory the GC may use); 0 turns reuse off.</summary>
    public static long IdleLimitBytes
    {
        get => BufferPool.IdleLimitBytes;
        set => BufferPool.IdleLimitBytes = Math.Max(0, value);
    }

    /// <summary>Bytes idle in the pool now.</summary>
    public static long IdleBytes => BufferPool.IdleBytes;

    /// <summary>Runs a full collection and waits until every dead large array is back in the pool.</summary>
    public static void Collect() => BufferPool.Collect();

    /// <summary>Hands every idle array back to the GC.</summary>
    public static void Trim() => BufferPool.Trim();
}
