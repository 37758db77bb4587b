using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;
using Parquet;

namespace LvlmEval.Datasets.Hub;

/// <summary>
/// An image held in a hub shard's <c>image</c> column, a struct of <c>bytes</c> and <c>path</c> as the <c>datasets</c>
/// library writes it. The bytes are read (one column chunk of one row group) and decoded only when the image is loaded;
/// nothing is extracted to disk. A missing or undecodable cell throws an error naming the file, row group and row.
/// </summary>
public static class HubImage
{
    /// <summary>A lazily decoded image at (<paramref name="rowGroup"/>, <paramref name="row"/>) of <paramref name="file"/>.</summary>
    public static ImageReference At(string file, int rowGroup, int row, string? path)
    {
        string where = $"{file}, row group {rowGroup}, row {row}";
        return ImageReference.FromFactory(path is null ? where : $"{where} ({path})", () => Load(file, rowGroup, row, where));
    }

    private static RgbImage Load(string file, int rowGroup, int row, string where)
    {
        byte[] bytes;
        try
        {
            bytes = ReadBytes(file, rowGroup, row);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ImageDecodeException))
        {
            throw new ImageDecodeException(where, $"cannot read the image cell: {e.Message}", e);
        }
        return ImageFile.DecodeRgb(bytes, where);
    }

    private static byte[] ReadBytes(string file, int rowGroup, int row) => HubFile.Read(file, reader => ReadBytes(reader, rowGroup, row));

    private static byte[] ReadBytes(ParquetReader reader, int rowGroup, int row)
    {
        var field = reader.Schema.GetDataFields().FirstOrDefault(f => f.Path.ToList() is ["image", "bytes"])
            ?? throw new FormatException("the shard has no column 'image.bytes'");
        using var group = reader.OpenRowGroupReader(rowGroup);
        int n = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? group.RowCount));
        var values = new ReadOnlyMemory<byte>[n];
        var definitions = new int[n];
        group.ReadRawAsync<ReadOnlyMemory<byte>>(field, values, definitions, null).AsTask().GetAwaiter().GetResult();
        int next = 0;
        for (int r = 0; r < row; r++)
            if (field.MaxDefinitionLevel == 0 || definitions[r] == field.MaxDefinitionLevel) next++;
        if (field.MaxDefinitionLevel > 0 && definitions[row] != field.MaxDefinitionLevel)
            throw new FormatException("the image bytes are null");
        return values[next].ToArray();
    }
}
