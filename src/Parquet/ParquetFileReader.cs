using System.Buffers.Binary;
using LvlmEval.Parquet.Format;
using LvlmEval.Parquet.Reading;
using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet;

/// <summary>
/// Reads flat Parquet files (the types of <see cref="ParquetColumnType"/>; UNCOMPRESSED, SNAPPY or GZIP; PLAIN,
/// dictionary, DELTA and BYTE_STREAM_SPLIT encodings; data pages V1 and V2). Opening validates the magic bytes,
/// footer length and footer; reading validates every page header. Problems raise <see cref="ParquetFormatException"/>.
/// One reader serves one thread at a time (it seeks a single stream).
/// </summary>
public sealed class ParquetFileReader : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _footerStart;

    private ParquetFileReader(string path, Stream stream, bool leaveOpen)
    {
        FilePath = path;
        _stream = stream;
        _leaveOpen = leaveOpen;
        long length = stream.Length;
        if (length < 12) throw new ParquetFormatException(path, 0, $"file is {length} bytes, too short for a Parquet file (at least 12)");
        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        ReadExactly(head, 0);
        ReadExactly(tail, length - 8);
        if (!head.SequenceEqual(Magic)) throw new ParquetFormatException(path, 0, "file does not start with the Parquet magic bytes PAR1");
        if (!tail[4..].SequenceEqual(Magic)) throw new ParquetFormatException(path, length - 4, "file does not end with the Parquet magic bytes PAR1 (truncated or not Parquet)");
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12)
            throw new ParquetFormatException(path, length - 8, $"footer length {footerLength} points outside the file ({length} bytes; the footer must start after the leading magic)");
        _footerStart = length - 8 - footerLength;
        var footer = new byte[footerLength];
        ReadExactly(footer, _footerStart);
        var reader = new CompactProtocolReader(footer, 0, footer.Length, path, _footerStart);
        Metadata = reader.ReadStruct(FileMetaData.Read);
        Schema = SchemaMapping.FromSchemaElements(Metadata.Schema, path, _footerStart);
        ValidateRowGroups();
        var kv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Metadata.KeyValueMetadata ?? []) kv[entry.Key] = entry.Value ?? "";
        KeyValueMetadata = kv;
    }

    /// <summary>Opens <paramref name="path"/> and reads its footer.</summary>
    public static ParquetFileReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.RandomAccess);
        try
        {
            return new ParquetFileReader(path, stream, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads Parquet from a seekable <paramref name="stream"/>; <paramref name="name"/> is used in errors.</summary>
    public static ParquetFileReader Open(Stream stream, string name, bool leaveOpen = false)
    {
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException($"{name}: a Parquet stream must be readable and seekable.", nameof(stream));
        return new ParquetFileReader(name, stream, leaveOpen);
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The decoded footer, as in parquet.thrift.</summary>
    public FileMetaData Metadata { get; }

    /// <summary>The flat schema.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Total rows.</summary>
    public int RowCount => (int)Metadata.NumRows;

    /// <summary>Number of row groups.</summary>
    public int RowGroupCount => Metadata.RowGroups.Count;

    /// <summary>The footer's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> KeyValueMetadata { get; }

    /// <summary>Reads the named column across all row groups.</summary>
    public ColumnData ReadColumn(string name)
    {
        int index = Schema.IndexOf(name);
        if (index < 0) throw new ArgumentException($"{FilePath} has no column '{name}' (columns: {string.Join(", ", Schema.Columns.Select(c => c.Name))}).");
        return ReadColumn(index);
    }

    /// <summary>Reads column <paramref name="index"/> across all row groups.</summary>
    public ColumnData ReadColumn(int index)
    {
        var column = Schema.Columns[index];
        var data = ColumnData.Allocate(column, RowCount);
        int offset = 0;
        foreach (var group in Metadata.RowGroups)
        {
            ColumnAssembler.ReadInto(LoadChunk(group.Columns[index].MetaData!), column, (int)group.NumRows, data.Values, offset);
            offset += (int)group.NumRows;
        }
        return data;
    }

    /// <summary>Reads every column.</summary>
    public IReadOnlyList<ColumnData> ReadAllColumns()
    {
        var columns = new ColumnData[Schema.Columns.Count];
        for (int i = 0; i < columns.Length; i++) columns[i] = ReadColumn(i);
        return columns;
    }

    /// <summary>Reads every column of one row group.</summary>
    public IReadOnlyList<ColumnData> ReadRowGroup(int rowGroup)
    {
        var group = Metadata.RowGroups[rowGroup];
        var columns = new ColumnData[Schema.Columns.Count];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = ColumnData.Allocate(Schema.Columns[i], (int)group.NumRows);
            ColumnAssembler.ReadInto(LoadChunk(group.Columns[i].MetaData!), Schema.Columns[i], (int)group.NumRows, columns[i].Values, 0);
        }
        return columns;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }

    private void ValidateRowGroups()
    {
        ParquetFormatException Fail(string message) => new(FilePath, _footerStart, message);
        long total = 0;
        for (int g = 0; g < Metadata.RowGroups.Count; g++)
        {
            var group = Metadata.RowGroups[g];
            if (group.NumRows < 0) throw Fail($"row group {g} has {group.NumRows} rows");
            total += group.NumRows;
            if (total > Array.MaxLength) throw Fail($"the file holds more than {Array.MaxLength} rows");
            if (group.Columns.Count != Schema.Columns.Count) throw Fail($"row group {g} has {group.Columns.Count} column chunks for {Schema.Columns.Count} columns");
            for (int c = 0; c < group.Columns.Count; c++)
            {
                var meta = group.Columns[c].MetaData ?? throw Fail($"row group {g} column {c} has no metadata (external column chunks are not supported)");
                var column = Schema.Columns[c];
                if (meta.Type != SchemaMapping.PhysicalTypeOf(column.Type)) throw Fail($"row group {g} column '{column.Name}' is stored as {meta.Type}, the schema says {SchemaMapping.PhysicalTypeOf(column.Type)}");
                if (meta.NumValues != group.NumRows) throw Fail($"row group {g} column '{column.Name}' has {meta.NumValues} values for {group.NumRows} rows");
                if (!Compression.PageCompression.IsSupported(meta.Codec)) throw Fail($"row group {g} column '{column.Name}' uses compression {meta.Codec}; only UNCOMPRESSED, SNAPPY and GZIP are supported");
            }
        }
        if (total != Metadata.NumRows) throw Fail($"the footer says {Metadata.NumRows} rows but the row groups hold {total}");
    }

    private ChunkSource LoadChunk(ColumnMetaData meta)
    {
        // Some writers store 0 for "no dictionary"; the chunk starts at whichever page comes first.
        long start = meta.DictionaryPageOffset is long d && d > 0 && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        long length = meta.TotalCompressedSize;
        if (start < 4 || length < 0 || length > _footerStart - start)
            throw new ParquetFormatException(FilePath, _footerStart,
                $"the footer places column chunk '{string.Join('.', meta.PathInSchema)}' at {start} with {length} bytes, outside the data region [4, {_footerStart})");
        var bytes = new byte[length];
        ReadExactly(bytes, start);
        return new ChunkSource { FilePath = FilePath, Bytes = bytes, FileOffset = start, Codec = meta.Codec };
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        _stream.Position = offset;
        int done = 0;
        while (done < buffer.Length)
        {
            int n = _stream.Read(buffer[done..]);
            if (n == 0) throw new ParquetFormatException(FilePath, offset + done, "file ends unexpectedly");
            done += n;
        }
    }
}
