using System.Runtime.CompilerServices;
using LvlmEval.Tensors.Memory;

namespace LvlmEval.Tensors;

/// <summary>
/// A float32 row-major tensor: a shape and a contiguous window (offset, length) on a float array.
/// Reshape and leading-axis narrowing are views that share storage; other layout changes copy.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>The backing array; the tensor's elements are <c>Storage[Offset .. Offset + Length]</c>.</summary>
    internal readonly float[] Storage;

    /// <summary>Index of the first element in <see cref="Storage"/>.</summary>
    internal readonly int Offset;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Creates a zero-filled tensor.</summary>
    public Tensor(params int[] shape) : this(ZeroedStorage(ShapeUtil.Numel(shape)), 0, shape) { }

    private static float[] ZeroedStorage(int length)
    {
        if (length < BufferPool.MinimumPooledFloats) return new float[length];
        var storage = BufferPool.Rent(length);
        storage.AsSpan(0, length).Clear();
        return storage;
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    public Tensor(float[] data, params int[] shape) : this(RequireLength(data, shape), 0, shape) { }

    private static float[] RequireLength(float[] data, int[] shape)
    {
        int n = ShapeUtil.Numel(shape);
        if (data.Length != n)
            throw new ArgumentException($"Data length {data.Length} does not match shape {ShapeUtil.Format(shape)} ({n} elements).");
        return data;
    }

    internal Tensor(float[] storage, int offset, int[] shape)
    {
        _shape = (int[])shape.Clone();
        Length = ShapeUtil.Numel(_shape);
        if (offset < 0 || offset + (long)Length > storage.Length)
            throw new ArgumentException($"Window [{offset}, {offset + (long)Length}) is outside storage of {storage.Length} floats.");
        Storage = storage;
        Offset = offset;
    }

    /// <summary>A copy of the shape.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The shape without copying; callers must not mutate it.</summary>
    internal int[] ShapeRef => _shape;

    /// <summary>Number of axes.</summary>
    public int Rank => _shape.Length;

    /// <summary>Size of an axis; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[ShapeUtil.NormalizeAxis(axis, _shape.Length)];

    /// <summary>The elements, writable. Writing into a tensor that autograd recorded changes its history.</summary>
    public Span<float> Data => Storage.AsSpan(Offset, Length);

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>The single element of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Item() needs a one-element tensor, got shape {ShapeUtil.Format(_shape)}.");
        return Storage[Offset];
    }

    /// <summary>Element at a full index (for tests and inspection, not kernels).</summary>
    [IndexerName("At")]
    public float this[params int[] index]
    {
        get => Storage[Offset + ShapeUtil.FlatIndex(_shape, index)];
        set => Storage[Offset + ShapeUtil.FlatIndex(_shape, index)] = value;
    }

    // ---- autograd state ----

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters, inputs).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Accumulated gradient after <see cref="Backward"/>, for leaves and tensors that called <see cref="RetainGrad"/>.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The recorded operation that produced this tensor, or null for a leaf.</summary>
    internal GradNode? Node { get; set; }

    /// <summary>Whether <see cref="Grad"/> is kept for this non-leaf tensor.</summary>
    internal bool RetainsGrad { get; private set; }

    /// <summary>True when this tensor is a leaf or an output autograd recorded.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Keeps this intermediate's gradient (attention maps, hidden states) after backward.</summary>
    public Tensor RetainGrad()
    {
        RetainsGrad = true;
        return this;
    }

    /// <summary>Backpropagates from this tensor; a non-scalar needs an explicit upstream gradient.</summary>
    public void Backward(Tensor? gradient = null) => Autograd.Backward(this, gradient);

    /// <summary>The same values, cut from the autograd graph (shares storage).</summary>
    public Tensor Detach() => new(Storage, Offset, _shape);

    /// <summary>A deep copy without autograd history.</summary>
    public Tensor Clone()
    {
        var copy = Uninitialized(_shape);
        Data.CopyTo(copy.Data);
        return copy;
    }

    // ---- factories ----

    /// <summary>A zero-filled tensor.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>
    /// A tensor whose elements are not cleared: for op outputs that a kernel overwrites completely, where zeroing
    /// (and touching fresh pages twice) is measurable on large activations.
    /// </summary>
    internal static Tensor Uninitialized(params int[] shape) =>
        new(BufferPool.Rent(ShapeUtil.Numel(shape)), 0, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        t.Data.Fill(value);
        return t;
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(float value) => new(new[] { value }, Array.Empty<int>());

    /// <summary>Standard-normal samples from a seeded generator (Box–Muller).</summary>
    public static Tensor Randn(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            d[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < d.Length) d[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
        }
        return t;
    }

    /// <summary>Uniform samples in [low, high) from a seeded generator.</summary>
    public static Tensor Uniform(Random rng, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = low + (float)rng.NextDouble() * (high - low);
        return t;
    }

    // ---- operators (broadcasting, autograd-aware; see Ops) ----

    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float c) => Ops.Add(a, c);
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float c) => Ops.Add(a, -c);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, float c) => Ops.Mul(a, c);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(float c, Tensor a) => Ops.Mul(a, c);
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, float c) => Ops.Div(a, c);
    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(float c, Tensor a) => Ops.Sub(c, a);
    /// <summary>Scalar divided by tensor.</summary>
    public static Tensor operator /(float c, Tensor a) => Ops.Div(c, a);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{ShapeUtil.Format(_shape)}" + (Node is null ? "" : $" <{Node.Name}>");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool SameShape(Tensor a, Tensor b) => a._shape.AsSpan().SequenceEqual(b._shape);
}
