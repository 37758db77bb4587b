using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Tensors;

/// <summary>
/// A frozen 2-D weight [rows, columns] in the element type it is stored in: a float32 <see cref="Tensor"/>, or F16/BF16
/// elements read in place from a memory-mapped safetensors file (zero copy: the page cache holds them once, and the
/// process never owns a float32 copy). Matrix products widen half-width rows to float32 a panel at a time inside the
/// GEMM and accumulate in float32 (<see cref="Ops.Linear(Tensor, WeightMatrix, Tensor?)"/>), so a 7-billion-parameter
/// model stored in F16 needs 14 GB, not 28.
/// </summary>
public sealed unsafe class WeightMatrix
{
    private readonly Tensor? _dense;
    private readonly byte* _stored;

    // Keeps the mapping alive as long as any weight reads from it; the file unmaps itself when it becomes unreachable.
    private readonly SafetensorsFile? _file;

    private WeightMatrix(Tensor dense)
    {
        _dense = dense;
        Rows = dense.Dim(0);
        Columns = dense.Dim(1);
        StoredType = SafetensorsDType.F32;
    }

    private WeightMatrix(SafetensorsFile file, byte* stored, SafetensorsDType dtype, int rows, int columns)
    {
        _file = file;
        _stored = stored;
        StoredType = dtype;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Wraps a float32 matrix (not copied); it stays the live parameter, trainable like any tensor.</summary>
    public static WeightMatrix FromTensor(Tensor weight)
    {
        if (weight.Rank != 2) throw new ArgumentException($"A weight matrix is [rows, columns], got {ShapeUtil.Format(weight.ShapeRef)}.", nameof(weight));
        return new WeightMatrix(weight);
    }

    /// <summary>A half-width matrix read in place from <paramref name="file"/> at <paramref name="stored"/>.</summary>
    internal static WeightMatrix Mapped(SafetensorsFile file, byte* stored, SafetensorsDType dtype, int rows, int columns)
    {
        if (!IsHalfWidthType(dtype)) throw new ArgumentException($"Only F16 and BF16 weights are kept as stored, not {dtype}.", nameof(dtype));
        return new WeightMatrix(file, stored, dtype, rows, columns);
    }

    /// <summary>Whether <paramref name="dtype"/> is one of the half-width float types kept as stored (F16, BF16).</summary>
    public static bool IsHalfWidthType(SafetensorsDType dtype) => dtype is SafetensorsDType.F16 or SafetensorsDType.BF16;

    /// <summary>
    /// Bytes of the float32 buffer that products with half-width matrices widen weight blocks into and keep for the next
    /// product, at most (one buffer per product running at the same time).
    /// </summary>
    public const long WideningBufferBytes = sizeof(float) * (long)Kernels.WidenedGemm.BlockFloats;

    /// <summary>Number of rows (output features of a linear layer, vocabulary of an embedding).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (input features, embedding width).</summary>
    public int Columns { get; }

    /// <summary>Number of elements.</summary>
    public long Length => (long)Rows * Columns;

    /// <summary>Element type in memory: F32 for a float32 tensor, else the checkpoint's F16 or BF16.</summary>
    public SafetensorsDType StoredType { get; }

    /// <summary>Whether the elements stay F16/BF16 and are widened inside each product.</summary>
    public bool IsHalfWidth => _dense is null;

    /// <summary>Bytes the elements occupy (in the page cache for a mapped matrix).</summary>
    public long StoredBytes => Length * StoredType.ElementSize();

    /// <summary>The float32 tensor of a float32 matrix (the live parameter), or null for a half-width one.</summary>
    public Tensor? Dense => _dense;

    /// <summary>
    /// The whole matrix as float32: the live tensor itself when float32, else a fresh widened copy (for analyses that read
    /// a weight's values, such as per-head slices of an output projection; products never need it).
    /// </summary>
    public Tensor Widen()
    {
        if (_dense is not null) return _dense;
        var copy = Tensor.Uninitialized(Rows, Columns);
        WidenRows(0, Rows, copy.Data);
        return copy;
    }

    /// <summary>Rows [first, first + count) as a float32 tensor [count, columns] (a view of a float32 matrix, without autograd history of its own).</summary>
    public Tensor RowsAsTensor(int first, int count)
    {
        CheckRows(first, count);
        if (_dense is not null) return Ops.Narrow(_dense, 0, first, count);
        var rows = new Tensor(count, Columns);
        WidenRows(first, count, rows.Data);
        return rows;
    }

    /// <summary>Writes rows [first, first + count) widened to float32 into <paramref name="destination"/> (count × columns floats).</summary>
    public void WidenRows(int first, int count, Span<float> destination)
    {
        CheckRows(first, count);
        int columns = Columns;
        if (destination.Length < count * columns)
            throw new ArgumentException($"Destination holds {destination.Length} floats, {count} rows of {columns} need {count * columns}.", nameof(destination));
        if (_dense is not null)
        {
            _dense.Data.Slice(first * columns, count * columns).CopyTo(destination);
            return;
        }
        int size = StoredType.ElementSize();
        // One row per conversion keeps every span far below int.MaxValue bytes.
        for (int r = 0; r < count; r++)
        {
            var source = new ReadOnlySpan<byte>(_stored + ((long)(first + r) * columns) * size, columns * size);
            ElementConversion.ToSingle(StoredType, source, destination.Slice(r * columns, columns));
        }
        GC.KeepAlive(_file);
    }

    /// <summary>
    /// Writes rows [first, first + count), columns [column, column + width) widened to float32 into
    /// <paramref name="destination"/> (count × width floats, row-major).
    /// </summary>
    public void WidenBlock(int first, int count, int column, int width, Span<float> destination)
    {
        CheckRows(first, count);
        int columns = Columns;
        if (column < 0 || width < 0 || column + width > columns)
            throw new ArgumentOutOfRangeException(nameof(column), $"Columns [{column}, {column + width}) are outside the matrix [{Rows}, {columns}].");
        if (destination.Length < count * width)
            throw new ArgumentException($"Destination holds {destination.Length} floats, {count} rows of {width} need {count * width}.", nameof(destination));
        if (_dense is not null)
        {
            for (int r = 0; r < count; r++)
                _dense.Data.Slice((first + r) * columns + column, width).CopyTo(destination.Slice(r * width, width));
            return;
        }
        int size = StoredType.ElementSize();
        for (int r = 0; r < count; r++)
        {
            var source = new ReadOnlySpan<byte>(_stored + ((long)(first + r) * columns + column) * size, width * size);
            ElementConversion.ToSingle(StoredType, source, destination.Slice(r * width, width));
        }
        GC.KeepAlive(_file);
    }

    private void CheckRows(int first, int count)
    {
        if (first < 0 || count < 0 || first + count > Rows)
            throw new ArgumentOutOfRangeException(nameof(first), $"Rows [{first}, {first + count}) are outside the matrix [{Rows}, {Columns}].");
    }

    /// <inheritdoc/>
    public override string ToString() => $"WeightMatrix[{Rows}, {Columns}] {StoredType}";
}
