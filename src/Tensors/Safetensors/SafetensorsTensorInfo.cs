namespace LvlmEval.Tensors.Safetensors;

/// <summary>One header entry: element type, shape and the byte range inside the data section.</summary>
/// <param name="Name">Tensor name as written in the header.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="DataBegin">First byte, relative to the start of the data section.</param>
/// <param name="DataEnd">One past the last byte, relative to the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long DataBegin, long DataEnd)
{
    /// <summary>Bytes the tensor occupies.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>Number of elements (product of the shape).</summary>
    public long ElementCount => ByteLength / DType.ElementSize();

    /// <summary>The shape as <see cref="int"/>s, for building a <see cref="Tensor"/>; throws when a dimension does not fit.</summary>
    public int[] IntShape()
    {
        var s = new int[Shape.Length];
        for (int i = 0; i < s.Length; i++)
        {
            if (Shape[i] > int.MaxValue)
                throw new NotSupportedException($"Tensor '{Name}' has dimension {Shape[i]}, larger than a Tensor axis can hold.");
            s[i] = (int)Shape[i];
        }
        return s;
    }
}
