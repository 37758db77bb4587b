using LvlmEval.Common;
using LvlmEval.Parquet.Format;
using LvlmEval.Parquet.Thrift;
using LvlmEval.Parquet.Writing;

namespace LvlmEval.Parquet;

/// <summary>
/// Writes a flat Parquet file atomically: rows go to <c>path.tmp</c> in row groups of
/// <see cref="ParquetWriteOptions.RowGroupRows"/>; <see cref="Commit"/> writes the footer, syncs and renames.
/// Disposing without committing deletes the temporary file and leaves any existing file at the path untouched.
/// </summary>
public sealed class ParquetFileWriter : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private readonly string _path;
    private readonly FileStream _file;
    private readonly ParquetWriteOptions _options;
    private readonly List<RowGroup> _rowGroups = [];
    private readonly List<ColumnData[]> _pending = []; // partial row group, copied from callers' arrays
    private int _pendingRows;
    private bool _finished;

    private ParquetFileWriter(string path, ParquetSchema schema, ParquetWriteOptions options)
    {
        options.Validate();
        _path = path;
        Schema = schema;
        _options = options;
        _file = AtomicFile.CreateTemp(path);
        _file.Write(Magic);
    }

    /// <summary>Starts writing <paramref name="path"/> (via <c>path.tmp</c>).</summary>
    public static ParquetFileWriter Create(string path, ParquetSchema schema, ParquetWriteOptions? options = null) =>
        new(path, schema, options ?? new ParquetWriteOptions());

    /// <summary>The file's columns.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Key-value metadata stored in the footer (e.g. the run manifest hash); set any time before <see cref="Commit"/>.</summary>
    public Dictionary<string, string> KeyValueMetadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows accepted so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>
    /// Appends rows given column-wise (one <see cref="ColumnData"/> per schema column, equal lengths). Full row groups
    /// are written at once; a remainder is copied and waits for more rows or <see cref="Commit"/>.
    /// </summary>
    public void Write(IReadOnlyList<ColumnData> columns)
    {
        int rows = ValidateBatch(columns);
        int offset = 0;
        while (offset < rows)
        {
            int take = Math.Min(rows - offset, _options.RowGroupRows - _pendingRows);
            if (_pendingRows == 0 && take == _options.RowGroupRows) WriteRowGroup(columns, offset, take);
            else
            {
                _pending.Add(Slice(columns, offset, take));
                _pendingRows += take;
                if (_pendingRows == _options.RowGroupRows) FlushPending();
            }
            offset += take;
        }
        RowCount += rows;
    }

    /// <summary>Writes any pending rows and the footer, syncs the file to disk and renames it to its final name.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        FlushPending();
        var footer = new FileMetaData
        {
            Version = 1,
            Schema = SchemaMapping.ToSchemaElements(Schema),
            NumRows = RowCount,
            RowGroups = _rowGroups,
            KeyValueMetadata = KeyValueMetadata.Count == 0 ? null
                : KeyValueMetadata.Select(kv => new KeyValue { Key = kv.Key, Value = kv.Value }).ToList(),
            CreatedBy = "LvlmEval.Parquet version 1.0",
            TypeDefinedColumnOrders = Schema.Columns.Count,
        };
        long footerStart = _file.Position;
        var writer = new CompactProtocolWriter(_file);
        writer.BeginStruct();
        footer.Write(writer);
        writer.EndStruct();
        int footerLength = checked((int)(_file.Position - footerStart));
        Span<byte> tail = stackalloc byte[8];
        BitConverter.TryWriteBytes(tail, footerLength);
        Magic.CopyTo(tail[4..]);
        _file.Write(tail);
        _finished = true;
        AtomicFile.Commit(_file, _path);
    }

    /// <summary>Abandons an uncommitted file (the temporary file is deleted).</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        AtomicFile.Abandon(_file, _path);
    }

    private int ValidateBatch(IReadOnlyList<ColumnData> columns)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (columns.Count != Schema.Columns.Count)
            throw new ArgumentException($"{_path}: expected {Schema.Columns.Count} columns, got {columns.Count}.");
        int rows = columns[0].Length;
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i].Column != Schema.Columns[i])
                throw new ArgumentException($"{_path}: column {i} is {columns[i].Column}, the schema has {Schema.Columns[i]}.");
            if (columns[i].Length != rows)
                throw new ArgumentException($"{_path}: column '{columns[i].Column.Name}' has {columns[i].Length} rows, column '{columns[0].Column.Name}' has {rows}.");
        }
        return rows;
    }

    private static ColumnData[] Slice(IReadOnlyList<ColumnData> columns, int start, int count)
    {
        var slice = new ColumnData[columns.Count];
        for (int i = 0; i < slice.Length; i++)
        {
            slice[i] = ColumnData.Allocate(columns[i].Column, count);
            Array.Copy(columns[i].Values, start, slice[i].Values, 0, count);
        }
        return slice;
    }

    private void FlushPending()
    {
        if (_pendingRows == 0) return;
        var merged = new ColumnData[Schema.Columns.Count];
        for (int c = 0; c < merged.Length; c++)
        {
            merged[c] = ColumnData.Allocate(Schema.Columns[c], _pendingRows);
            int at = 0;
            foreach (var part in _pending)
            {
                Array.Copy(part[c].Values, 0, merged[c].Values, at, part[c].Length);
                at += part[c].Length;
            }
        }
        _pending.Clear();
        int rows = _pendingRows;
        _pendingRows = 0;
        WriteRowGroup(merged, 0, rows);
    }

    private void WriteRowGroup(IReadOnlyList<ColumnData> columns, int start, int rows)
    {
        var encoded = new EncodedColumnChunk[columns.Count];
        if (_options.ParallelColumns)
            Parallel.For(0, columns.Count, c => encoded[c] = ColumnChunkEncoder.Encode(Schema.Columns[c], columns[c].Values, start, rows, _options));
        else
            for (int c = 0; c < columns.Count; c++) encoded[c] = ColumnChunkEncoder.Encode(Schema.Columns[c], columns[c].Values, start, rows, _options);

        var group = new RowGroup { NumRows = rows, FileOffset = _file.Position, Ordinal = (short)Math.Min(_rowGroups.Count, short.MaxValue) };
        long compressedTotal = 0, uncompressedTotal = 0;
        for (int c = 0; c < encoded.Length; c++)
        {
            var chunk = encoded[c];
            long chunkStart = _file.Position;
            _file.Write(chunk.Bytes.Written);
            var spec = Schema.Columns[c];
            group.Columns.Add(new ColumnChunk
            {
                FileOffset = chunkStart,
                MetaData = new ColumnMetaData
                {
                    Type = SchemaMapping.PhysicalTypeOf(spec.Type),
                    Encodings = chunk.Encodings,
                    PathInSchema = [spec.Name],
                    Codec = _options.Compression,
                    NumValues = chunk.NumValues,
                    TotalUncompressedSize = chunk.TotalUncompressedSize,
                    TotalCompressedSize = chunk.Bytes.Length,
                    DataPageOffset = chunkStart + chunk.DataPageOffset,
                    DictionaryPageOffset = chunk.DictionaryPageOffset is { } d ? chunkStart + d : null,
                    Statistics = chunk.Statistics,
                },
            });
            compressedTotal += chunk.Bytes.Length;
            uncompressedTotal += chunk.TotalUncompressedSize;
        }
        group.TotalByteSize = uncompressedTotal;
        group.TotalCompressedSize = compressedTotal;
        _rowGroups.Add(group);
    }
}
