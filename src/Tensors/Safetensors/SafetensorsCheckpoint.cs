namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// A checkpoint folder as Hugging Face lays it out: either shards listed in <c>model.safetensors.index.json</c>
/// (every shard must exist and hold the tensors the index assigns to it) or a single <c>*.safetensors</c> file.
/// Reads go to the shard holding the tensor; all shards stay memory-mapped until disposal.
/// </summary>
public sealed class SafetensorsCheckpoint : ISafetensorsReader, IDisposable
{
    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _fileByTensor;
    private readonly string[] _names;

    private SafetensorsCheckpoint(string location, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileByTensor, string[] names)
    {
        Location = location;
        _files = files;
        _fileByTensor = fileByTensor;
        _names = names;
    }

    /// <summary>The folder or file that was opened.</summary>
    public string Location { get; }

    /// <summary>The opened shard files (one for an unsharded checkpoint), in file-name order.</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <inheritdoc/>
    public IReadOnlyList<string> Names => _names;

    /// <summary>
    /// Opens a checkpoint folder (index first, else its only <c>*.safetensors</c> file), an index file, or a single
    /// safetensors file. Several <c>*.safetensors</c> files without an index are refused, as their union is ambiguous.
    /// </summary>
    public static SafetensorsCheckpoint Open(string path)
    {
        if (File.Exists(path))
            return Path.GetFileName(path).EndsWith(".index.json", StringComparison.Ordinal) ? OpenIndex(path) : OpenSingle(path, path);
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"{path}: no such checkpoint folder or file.", path);

        var index = Path.Combine(path, ShardIndex.IndexFileName);
        if (File.Exists(index)) return OpenIndex(index);

        var candidates = Directory.GetFiles(path, "*.safetensors").Order(StringComparer.Ordinal).ToArray();
        return candidates.Length switch
        {
            0 => throw new FileNotFoundException($"{path}: no {ShardIndex.IndexFileName} and no *.safetensors file in the folder.", index),
            1 => OpenSingle(path, candidates[0]),
            _ => throw new SafetensorsFormatException(path, null,
                $"holds {candidates.Length} .safetensors files ({string.Join(", ", candidates.Take(4).Select(Path.GetFileName))}" +
                $"{(candidates.Length > 4 ? ", ..." : "")}) but no {ShardIndex.IndexFileName} saying which tensor lives where."),
        };
    }

    private static SafetensorsCheckpoint OpenSingle(string location, string file)
    {
        var f = SafetensorsFile.Open(file);
        var byTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var name in f.Names) byTensor[name] = f;
        return new SafetensorsCheckpoint(location, [f], byTensor, f.Names.ToArray());
    }

    private static SafetensorsCheckpoint OpenIndex(string indexPath)
    {
        var index = ShardIndex.Read(indexPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            var byTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (tensor, shard) in index.WeightMap)
            {
                if (!opened.TryGetValue(shard, out var file))
                {
                    var shardPath = Path.Combine(folder, shard);
                    if (!File.Exists(shardPath))
                        throw new SafetensorsFormatException(indexPath, tensor, $"weight_map points to shard '{shard}', which does not exist in {folder}.");
                    file = SafetensorsFile.Open(shardPath);
                    opened[shard] = file;
                }
                if (!file.Contains(tensor))
                    throw new SafetensorsFormatException(indexPath, tensor, $"weight_map places this tensor in '{shard}', but that shard does not contain it.");
                byTensor[tensor] = file;
            }

            var files = opened.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
            var names = files.SelectMany(f => f.Names.Where(n => byTensor.TryGetValue(n, out var owner) && owner == f)).ToArray();
            return new SafetensorsCheckpoint(indexPath, files, byTensor, names);
        }
        catch
        {
            foreach (var f in opened.Values) f.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public bool Contains(string name) => _fileByTensor.ContainsKey(name);

    /// <summary>The shard holding <paramref name="name"/>.</summary>
    public SafetensorsFile FileOf(string name) =>
        _fileByTensor.TryGetValue(name, out var f) ? f : throw new TensorNotFoundException(Location, name, _names);

    /// <inheritdoc/>
    public SafetensorsTensorInfo Info(string name) => FileOf(name).Info(name);

    /// <inheritdoc/>
    public Tensor ReadTensor(string name, bool convertIntegers = false) => FileOf(name).ReadTensor(name, convertIntegers);

    /// <summary>Reads a floating-point tensor into a caller's buffer (e.g. a preallocated parameter).</summary>
    public void ReadInto(string name, Span<float> destination) => FileOf(name).ReadInto(name, destination);

    /// <summary>A 2-D F16/BF16 tensor read in place from its shard (see <see cref="SafetensorsFile.MapMatrix"/>).</summary>
    public WeightMatrix MapMatrix(string name) => FileOf(name).MapMatrix(name);

    /// <inheritdoc/>
    public long[] ReadInt64(string name) => FileOf(name).ReadInt64(name);

    /// <inheritdoc/>
    public int[] ReadInt32(string name) => FileOf(name).ReadInt32(name);

    /// <summary>Unmaps every shard.</summary>
    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
