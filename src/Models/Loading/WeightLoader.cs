using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LvlmEval.Tensors;
using Microsoft.Win32.SafeHandles;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Models.Loading;

/// <summary>
/// Reads a checkpoint's tensors into float32 by full key, checking shapes, and records every problem so one
/// <see cref="CheckpointMismatchException"/> can list all missing, unexpected and misshapen tensors at the end.
/// Walk it hierarchically with <see cref="Root"/> and <see cref="WeightPath.Pp(string)"/>.
/// </summary>
public sealed class WeightLoader : IDisposable
{
    private readonly SafetensorsCheckpoint _checkpoint;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<string> _missing = [];
    private readonly List<(string, int[], int[])> _wrongShapes = [];
    private readonly Dictionary<string, (SafeFileHandle Handle, long DataStart)> _handles = new(StringComparer.Ordinal);
    private readonly List<(string Name, Tensor Tensor)> _loaded = [];
    private readonly List<(string Name, WeightMatrix Matrix)> _mapped = [];

    /// <summary>Opens the safetensors checkpoint in <paramref name="folder"/>, refusing pickle-only folders.</summary>
    public WeightLoader(string folder, WeightStorage storage = WeightStorage.AsStored)
    {
        _checkpoint = OpenSafetensors(folder);
        Storage = storage;
    }

    /// <summary>Whether F16/BF16 matrices stay half-width (<see cref="ReadMatrix"/>).</summary>
    public WeightStorage Storage { get; }

    /// <summary>The opened checkpoint.</summary>
    public SafetensorsCheckpoint Checkpoint => _checkpoint;

    /// <summary>A path at the root of the key space.</summary>
    public WeightPath Root => new(this, "");

    /// <summary>Whether the checkpoint holds <paramref name="key"/>.</summary>
    public bool Contains(string key) => _checkpoint.Contains(key);

    /// <summary>Reads <paramref name="key"/> as float32 with the expected shape; records a problem (returning zeros) when it is absent or misshapen.</summary>
    public Tensor Read(string key, int[] shape)
    {
        _used.Add(key);
        if (!_checkpoint.Contains(key))
        {
            _missing.Add(key);
            return new Tensor(shape);
        }
        var actual = _checkpoint.Info(key).IntShape();
        if (!actual.AsSpan().SequenceEqual(shape))
        {
            _wrongShapes.Add((key, shape, actual));
            return new Tensor(shape);
        }
        var tensor = new Tensor(shape);
        var file = _checkpoint.FileOf(key);
        var info = file.Info(key);
        if (info.DType == SafetensorsDType.F32 && BitConverter.IsLittleEndian)
            ReadFloat32(file.Path, info, tensor.Data);
        else
            _checkpoint.ReadInto(key, tensor.Data);
        _loaded.Add((key, tensor));
        return tensor;
    }

    // float32 tensors are read with positioned file reads straight into the tensor instead of through the memory map,
    // so the mapped pages never count towards the process's resident memory next to the float32 copy.
    private void ReadFloat32(string path, SafetensorsTensorInfo info, Span<float> destination)
    {
        if (!_handles.TryGetValue(path, out var entry))
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
            Span<byte> prefix = stackalloc byte[8];
            RandomAccess.Read(handle, prefix, 0);
            entry = (handle, 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(prefix));
            _handles[path] = entry;
        }
        var bytes = MemoryMarshal.AsBytes(destination);
        long offset = entry.DataStart + info.DataBegin;
        while (bytes.Length > 0)
        {
            int read = RandomAccess.Read(entry.Handle, bytes, offset);
            if (read <= 0) throw new SafetensorsFormatException(path, info.Name, "file ended inside the tensor's data.");
            bytes = bytes[read..];
            offset += read;
        }
    }

    /// <summary>
    /// Reads a weight matrix [rows, columns]: kept half-width in place in the mapped file when it is stored as F16/BF16
    /// and <see cref="Storage"/> is <see cref="WeightStorage.AsStored"/>, else read as float32 like <see cref="Read"/>.
    /// </summary>
    public WeightMatrix ReadMatrix(string key, int rows, int columns)
    {
        if (Storage == WeightStorage.AsStored && _checkpoint.Contains(key) && WeightMatrix.IsHalfWidthType(_checkpoint.Info(key).DType)
            && _checkpoint.Info(key).IntShape().AsSpan().SequenceEqual([rows, columns]))
        {
            _used.Add(key);
            var matrix = _checkpoint.MapMatrix(key);
            _mapped.Add((key, matrix));
            return matrix;
        }
        return WeightMatrix.FromTensor(Read(key, [rows, columns]));
    }

    /// <summary>Every float32 tensor read successfully so far, by checkpoint key, in reading order.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Loaded => _loaded;

    /// <summary>Every matrix kept half-width, by checkpoint key, in reading order.</summary>
    public IReadOnlyList<(string Name, WeightMatrix Matrix)> Mapped => _mapped;

    /// <summary>Marks keys as known but unused (buffers such as <c>position_ids</c>, heads LLaVA never runs).</summary>
    public void Ignore(Func<string, bool> predicate)
    {
        foreach (var name in _checkpoint.Names) if (predicate(name)) _used.Add(name);
    }

    /// <summary>Throws <see cref="CheckpointMismatchException"/> when any tensor was missing, misshapen or left unread.</summary>
    public void Validate()
    {
        var unexpected = _checkpoint.Names.Where(n => !_used.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (_missing.Count > 0 || _wrongShapes.Count > 0 || unexpected.Count > 0)
            throw new CheckpointMismatchException(_checkpoint.Location, _missing, unexpected, _wrongShapes);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (handle, _) in _handles.Values) handle.Dispose();
        // Matrices kept half-width read from the mapped shards: those stay mapped while the matrices live.
        if (_mapped.Count == 0) _checkpoint.Dispose();
    }

    /// <summary>Opens safetensors weights; a folder with only PyTorch pickles is refused with an explanation.</summary>
    public static SafetensorsCheckpoint OpenSafetensors(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found.");
        bool hasSafetensors = File.Exists(Path.Combine(folder, ShardIndex.IndexFileName))
            || Directory.EnumerateFiles(folder, "*.safetensors").Any();
        if (!hasSafetensors)
        {
            var pickles = Directory.EnumerateFiles(folder, "*.bin").Concat(Directory.EnumerateFiles(folder, "*.pt"))
                .Concat(Directory.EnumerateFiles(folder, "*.pth")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            throw new UnsupportedCheckpointException(folder, pickles.Count > 0
                ? $"holds only PyTorch pickle weights ({string.Join(", ", pickles)}); only safetensors checkpoints are supported, because unpickling runs arbitrary code. Convert the folder to model.safetensors first."
                : "no model.safetensors, model.safetensors.index.json or *.safetensors file found.");
        }
        return SafetensorsCheckpoint.Open(folder);
    }
}

/// <summary>A key prefix inside a <see cref="WeightLoader"/>, like candle's <c>VarBuilder.pp</c>.</summary>
public readonly struct WeightPath(WeightLoader loader, string prefix)
{
    /// <summary>The prefix, ending in a dot unless empty.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The path one level down: <c>pp("layers").Pp(3)</c> is <c>layers.3.</c>.</summary>
    public WeightPath Pp(string name) => new(loader, Prefix + name + ".");

    /// <summary>The path of a numbered child.</summary>
    public WeightPath Pp(int index) => Pp(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Reads <c>{prefix}{name}</c> with the expected shape.</summary>
    public Tensor Get(string name, params int[] shape) => loader.Read(Prefix + name, shape);

    /// <summary>Reads the weight matrix <c>{prefix}{name}</c> [rows, columns], half-width when stored so (see <see cref="WeightLoader.ReadMatrix"/>).</summary>
    public WeightMatrix GetMatrix(string name, int rows, int columns) => loader.ReadMatrix(Prefix + name, rows, columns);

    /// <summary>Reads the tensor when <paramref name="present"/>, else null (optional biases).</summary>
    public Tensor? GetIf(bool present, string name, params int[] shape) => present ? Get(name, shape) : null;

    /// <summary>Whether <c>{prefix}{name}</c> exists.</summary>
    public bool Contains(string name) => loader.Contains(Prefix + name);
}
