using System.Buffers.Binary;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Format;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>Damaged files raise <see cref="ParquetFormatException"/> naming the file and the byte offset of the damage.</summary>
public sealed class CorruptFileTests
{
    private TempDir _dir = null!;
    private byte[] _valid = null!;
    private int _footerLength;

    [SetUp]
    public void WriteValidFile()
    {
        _dir = new TempDir("parquet-corrupt");
        var path = _dir.File("valid.parquet");
        using (var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema, new ParquetWriteOptions { RowGroupRows = 100, PageRows = 40 }))
        {
            writer.Write(ParquetTestData.Mixed(250, seed: 9));
            writer.Commit();
        }
        _valid = File.ReadAllBytes(path);
        _footerLength = BinaryPrimitives.ReadInt32LittleEndian(_valid.AsSpan(_valid.Length - 8));
    }

    [TearDown]
    public void Cleanup() => _dir.Dispose();

    private int FooterStart => _valid.Length - 8 - _footerLength;

    private ParquetFormatException ReadCorrupt(byte[] bytes, string name)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<ParquetFormatException>(() =>
        {
            using var reader = ParquetFileReader.Open(path);
            reader.ReadAllColumns();
        })!;
        Assert.That(ex.FilePath, Is.EqualTo(path));
        Assert.That(ex.Message, Does.Contain(path).And.Contain($"offset {ex.Offset}"));
        return ex;
    }

    [Test]
    public void BadLeadingMagic()
    {
        var bytes = (byte[])_valid.Clone();
        bytes[3] = (byte)'0';
        var ex = ReadCorrupt(bytes, "bad-head.parquet");
        Assert.That(ex.Offset, Is.Zero);
        Assert.That(ex.Message, Does.Contain("PAR1"));
    }

    [Test]
    public void BadTrailingMagic()
    {
        var bytes = (byte[])_valid.Clone();
        bytes[^1] = (byte)'X';
        var ex = ReadCorrupt(bytes, "bad-tail.parquet");
        Assert.That(ex.Offset, Is.EqualTo(bytes.Length - 4));
    }

    [Test]
    public void FileCutShortLosesItsTrailingMagic()
    {
        var ex = ReadCorrupt(_valid[..(_valid.Length - 5)], "cut.parquet");
        Assert.That(ex.Offset, Is.EqualTo(_valid.Length - 5 - 4));
    }

    [Test]
    public void TooShortToBeParquet()
    {
        var ex = ReadCorrupt("PAR1PAR1"u8.ToArray(), "tiny.parquet");
        Assert.That(ex.Offset, Is.Zero);
        Assert.That(ex.Message, Does.Contain("too short"));
    }

    [Test]
    public void TruncatedFooterIsReportedInsideTheFooter()
    {
        // Keep the data and the first half of the footer, with a consistent length field: the Thrift decoder runs out.
        int half = _footerLength / 2;
        var bytes = new byte[FooterStart + half + 8];
        _valid.AsSpan(0, FooterStart + half).CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(FooterStart + half), half);
        "PAR1"u8.CopyTo(bytes.AsSpan(bytes.Length - 4));
        var ex = ReadCorrupt(bytes, "short-footer.parquet");
        Assert.That(ex.Offset, Is.InRange(FooterStart, FooterStart + half));
    }

    [TestCase(int.MaxValue)]
    [TestCase(-7)]
    [TestCase(0)]
    public void FooterLengthPointingPastTheStart(int footerLength)
    {
        var bytes = (byte[])_valid.Clone();
        if (footerLength == int.MaxValue) footerLength = bytes.Length - 11; // one byte too long: would overlap the leading magic
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 8), footerLength);
        var ex = ReadCorrupt(bytes, "footer-length.parquet");
        Assert.That(ex.Offset, Is.EqualTo(bytes.Length - 8));
        Assert.That(ex.Message, Does.Contain($"footer length {footerLength}"));
    }

    [Test]
    public void GarbagePageHeaderNamesThePageOffset()
    {
        using var reader = ParquetFileReader.Open(Path.Combine(_dir.Path, "valid.parquet"));
        var chunk = reader.Metadata.RowGroups[1].Columns[3].MetaData!;
        long pageStart = chunk.DictionaryPageOffset ?? chunk.DataPageOffset;
        var bytes = (byte[])_valid.Clone();
        for (int i = 0; i < 6; i++) bytes[pageStart + i] = 0xFF;
        var ex = ReadCorrupt(bytes, "page-header.parquet");
        Assert.That(ex.Offset, Is.InRange(pageStart, pageStart + 6));
        Assert.That(ex.Message, Does.Contain("Thrift"));
    }

    [Test]
    public void PageSizeRunningPastItsChunkIsCaught()
    {
        // Rewrite the first page header's compressed_page_size (field 3) to a huge value, keeping the header well formed.
        using var reader = ParquetFileReader.Open(Path.Combine(_dir.Path, "valid.parquet"));
        long pageStart = reader.Metadata.RowGroups[0].Columns[0].MetaData!.DataPageOffset;
        var header = new MemoryStream();
        var w = new LvlmEval.Parquet.Thrift.CompactProtocolWriter(header);
        w.BeginStruct();
        w.WriteI32Field(1, (int)PageType.DataPage);
        w.WriteI32Field(2, 400);
        w.WriteI32Field(3, 1_000_000);
        w.EndStruct();
        var bytes = (byte[])_valid.Clone();
        header.ToArray().CopyTo(bytes, pageStart);
        var ex = ReadCorrupt(bytes, "page-size.parquet");
        Assert.That(ex.Offset, Is.EqualTo(pageStart));
    }
}
