namespace LvlmEval.Tensors.Safetensors;

/// <summary>Read access to named tensors, shared by a single file and a (possibly sharded) checkpoint.</summary>
public interface ISafetensorsReader
{
    /// <summary>Tensor names (data order within a file; shard order, then data order, across shards).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Whether a tensor of this name exists.</summary>
    bool Contains(string name);

    /// <summary>Element type, shape and byte range of a tensor; throws <see cref="TensorNotFoundException"/> for unknown names.</summary>
    SafetensorsTensorInfo Info(string name);

    /// <summary>
    /// Reads a floating-point tensor as float32 (F32 copied, F16 and BF16 widened exactly, F64 rounded).
    /// Integer tensors are refused unless <paramref name="convertIntegers"/> is true, then converted like C# casts.
    /// </summary>
    Tensor ReadTensor(string name, bool convertIntegers = false);

    /// <summary>Reads an integer (or BOOL) tensor whose values all fit in int64 (I64, U32, I32 and narrower).</summary>
    long[] ReadInt64(string name);

    /// <summary>Reads an integer (or BOOL) tensor whose values all fit in int32 (I32 and narrower).</summary>
    int[] ReadInt32(string name);
}
