using System.IO.MemoryMappedFiles;

namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// One <c>.safetensors</c> file, memory-mapped: <see cref="Open"/> reads and validates only the header, so
/// opening a multi-gigabyte checkpoint costs nothing until tensors are read. Reads may run concurrently;
/// disposing while reading is not supported.
/// </summary>
public sealed unsafe class SafetensorsFile : ISafetensorsReader, IDisposable
{
    /// <summary>Elements converted per slice, so spans stay well below int.MaxValue bytes.</summary>
    private const int ChunkElements = 1 << 20;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataStart;
    private readonly SafetensorsHeader _header;
    private readonly string[] _names;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePointer, long dataStart, SafetensorsHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = basePointer;
        _dataStart = dataStart;
        _header = header;
        _names = header.TensorsByOffset.Select(t => t.Name).ToArray();
    }

    /// <summary>The file's path as given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> strings (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <inheritdoc/>
    public IReadOnlyList<string> Names => _names;

    /// <summary>All header entries in data order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _header.TensorsByOffset;

    /// <summary>Maps the file and validates its header; throws <see cref="SafetensorsFormatException"/> naming the file (and tensor) when malformed.</summary>
    public static SafetensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            stream.Dispose();
            SafetensorsHeader.ReadHeaderLength(path, fileLength, default); // throws: too short to hold the length prefix
        }

        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        bool acquired = false;
        try
        {
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            acquired = true;
            p += view.PointerOffset;

            long headerLength = SafetensorsHeader.ReadHeaderLength(path, fileLength, new ReadOnlySpan<byte>(p, 8));
            var json = new ReadOnlySpan<byte>(p + 8, (int)headerLength).ToArray();
            long dataStart = 8 + headerLength;
            var header = SafetensorsHeader.Parse(path, json, fileLength - dataStart);
            return new SafetensorsFile(path, map, view, p, dataStart, header);
        }
        catch
        {
            if (acquired) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            if (map is null) stream.Dispose();
            map?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public bool Contains(string name) => _header.ByName.ContainsKey(name);

    /// <inheritdoc/>
    public SafetensorsTensorInfo Info(string name) =>
        _header.ByName.TryGetValue(name, out var info) ? info : throw new TensorNotFoundException(Path, name, _names);

    /// <inheritdoc/>
    public Tensor ReadTensor(string name, bool convertIntegers = false)
    {
        var info = Info(name);
        if (info.DType is SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E5M2)
            throw new NotSupportedException($"{Path}: tensor '{name}': dtype {info.DType} cannot be read as float32 here.");
        if (info.DType.IsInteger() && !convertIntegers)
            throw new InvalidOperationException(
                $"{Path}: tensor '{name}' holds {info.DType} integers; use ReadInt64/ReadInt32, or pass convertIntegers: true.");
        var shape = info.IntShape();
        var data = GC.AllocateUninitializedArray<float>(CheckedLength(info)); // every element is written below
        ReadInto(info, data.AsSpan());
        return new Tensor(data, shape);
    }

    /// <summary>Reads a floating-point tensor into <paramref name="destination"/>, whose length must equal the element count.</summary>
    public void ReadInto(string name, Span<float> destination)
    {
        var info = Info(name);
        if (info.DType.IsInteger() || info.DType is SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E5M2)
            throw new InvalidOperationException($"{Path}: tensor '{name}' is {info.DType}, not a float tensor.");
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"{Path}: tensor '{name}' has {info.ElementCount} elements, destination holds {destination.Length}.");
        ReadInto(info, destination);
    }

    /// <summary>
    /// A 2-D F16 or BF16 tensor as a <see cref="WeightMatrix"/> that reads its elements in place from the mapping (no copy).
    /// The matrix keeps this file mapped while it is reachable.
    /// </summary>
    public WeightMatrix MapMatrix(string name)
    {
        ThrowIfDisposed();
        var info = Info(name);
        if (!WeightMatrix.IsHalfWidthType(info.DType))
            throw new InvalidOperationException($"{Path}: tensor '{name}' is {info.DType}; only F16 and BF16 matrices are read in place.");
        var shape = info.IntShape();
        if (shape.Length != 2)
            throw new InvalidOperationException($"{Path}: tensor '{name}' has shape {ShapeUtil.Format(shape)}, not a matrix.");
        return WeightMatrix.Mapped(this, _base + _dataStart + info.DataBegin, info.DType, shape[0], shape[1]);
    }

    /// <inheritdoc/>
    public long[] ReadInt64(string name) => ReadExact<long>(name, ElementConversion.FitsInt64, "int64", ElementConversion.ToInt64);

    /// <inheritdoc/>
    public int[] ReadInt32(string name) => ReadExact<int>(name, ElementConversion.FitsInt32, "int32", ElementConversion.ToInt32);

    /// <summary>The tensor as <typeparamref name="T"/>, refused unless every value of its dtype converts exactly.</summary>
    private T[] ReadExact<T>(string name, Func<SafetensorsDType, bool> fits, string typeName, Converter<T> convert)
    {
        var info = Info(name);
        if (!fits(info.DType))
            throw new InvalidOperationException($"{Path}: tensor '{name}' is {info.DType}, which does not convert exactly to {typeName}.");
        var result = new T[CheckedLength(info)];
        Decode(info, result.AsSpan(), convert);
        return result;
    }

    private void ReadInto(SafetensorsTensorInfo info, Span<float> destination) => Decode(info, destination, ElementConversion.ToSingle);

    private delegate void Converter<T>(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<T> destination);

    /// <summary>Converts the tensor's bytes slice by slice straight from the mapping into <paramref name="destination"/>.</summary>
    private void Decode<T>(SafetensorsTensorInfo info, Span<T> destination, Converter<T> convert)
    {
        ThrowIfDisposed();
        int size = info.DType.ElementSize();
        byte* start = _base + _dataStart + info.DataBegin;
        for (int i = 0; i < destination.Length; i += ChunkElements)
        {
            int count = Math.Min(ChunkElements, destination.Length - i);
            convert(info.DType, new ReadOnlySpan<byte>(start + (long)i * size, count * size), destination.Slice(i, count));
        }
    }

    private int CheckedLength(SafetensorsTensorInfo info) =>
        info.ElementCount <= Array.MaxLength
            ? (int)info.ElementCount
            : throw new NotSupportedException($"{Path}: tensor '{info.Name}' has {info.ElementCount} elements, more than one array can hold.");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Unmaps a file that weights mapped from it kept open, once neither it nor they are reachable.</summary>
    ~SafetensorsFile()
    {
        try { Dispose(); }
        catch (ObjectDisposedException) { } // the view's own handle was finalized first; the mapping is gone either way
    }

    /// <summary>Unmaps the file. Matrices from <see cref="MapMatrix"/> must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GC.SuppressFinalize(this);
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
