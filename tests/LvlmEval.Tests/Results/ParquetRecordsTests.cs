using LvlmEval.Results;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Results;

/// <summary>
/// Record tables written through Parquet.Net are read by DuckDB (its own Parquet reader) with the declared types,
/// nullability and values, and files DuckDB writes read back as the same records; failures name the file and column.
/// </summary>
public sealed class ParquetRecordsTests
{
    /// <summary>Every column kind the results tables use.</summary>
    public sealed record Row(string Name, string? Note, int Index, long Count, double Value, double? Maybe, float Fraction, bool Flag, float[]? Values);

    private static readonly Row[] Rows =
    [
        new("z", null, 3, 4, 5, 6, 7f, false, null),
        new("a", "first", -1, 1L << 40, 0.25, null, 0.5f, true, [1f, -2.5f, 3.25f]),
        new("énergie 関連度", null, 0, 0, double.MaxValue, -1e-300, float.Epsilon, false, []),
        new("", "", int.MaxValue, long.MinValue, -0.0, 42, -7f, true, [float.MaxValue]),
    ];

    [Test]
    public void DuckDbReadsTheDeclaredSchemaAndEveryValue()
    {
        using var dir = new TempDir("records-duckdb");
        string path = dir.File("rows.parquet");
        Assert.That(ParquetRecords.Write(path, Rows), Is.EqualTo(Rows.Length));

        using var db = new DuckDb();
        string table = $"read_parquet('{path}')";
        Assert.That(db.Columns($"SELECT * FROM {table}"), Is.EqualTo(new[]
        {
            "name:VARCHAR", "note:VARCHAR", "index:INTEGER", "count:BIGINT", "value:DOUBLE", "maybe:DOUBLE", "fraction:FLOAT", "flag:BOOLEAN", "values:FLOAT[]",
        }));
        // Nullability as declared: only the nullable properties are OPTIONAL (lists are OPTIONAL in Parquet.Net's layout).
        var repetition = db.Query($"SELECT name, repetition_type FROM parquet_schema('{path}') WHERE num_children IS NULL OR num_children = 0").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.That(repetition["name"], Is.EqualTo("REQUIRED"));
        Assert.That(repetition["note"], Is.EqualTo("OPTIONAL"));
        Assert.That(repetition["index"], Is.EqualTo("REQUIRED"));
        Assert.That(repetition["maybe"], Is.EqualTo("OPTIONAL"));
        Assert.That(repetition["element"], Is.EqualTo("REQUIRED"));

        var read = db.Query($"SELECT * FROM {table}").Rows;
        Assert.That(read, Has.Count.EqualTo(Rows.Length));
        for (int i = 0; i < Rows.Length; i++)
        {
            var r = Rows[i];
            var expected = new object?[] { r.Name, r.Note, (long)r.Index, r.Count, r.Value, r.Maybe, (double)r.Fraction, r.Flag, r.Values?.Select(v => (object?)(double)v).ToArray() };
            Assert.That(read[i], Is.EqualTo(expected), $"row {i}");
        }
    }

    [Test]
    public void FilesDuckDbWritesReadBackAsTheSameRecords()
    {
        using var dir = new TempDir("records-from-duckdb");
        string path = dir.File("duck.parquet");
        using var db = new DuckDb();
        // Two row groups, nulls, a null list and an empty list before values (read as null and empty), written by DuckDB's own writer.
        db.Execute($"""
            COPY (SELECT * FROM (VALUES
                ('c', '', 2147483647, (-9223372036854775807 - 1)::BIGINT, 0::DOUBLE, 42::DOUBLE, -7::FLOAT, true, NULL::FLOAT[]),
                ('énergie 関連度', NULL, 0, 0::BIGINT, 1e300::DOUBLE, -1e-300::DOUBLE, 1.5::FLOAT, false, []::FLOAT[]),
                ('a', 'first', -1, 1099511627776::BIGINT, 0.25::DOUBLE, NULL::DOUBLE, 0.5::FLOAT, true, [1, -2.5, 3.25]::FLOAT[]),
                ('d', NULL, 5, 6::BIGINT, 7::DOUBLE, NULL::DOUBLE, 8::FLOAT, false, [4, 5]::FLOAT[]))
              AS t(name, note, "index", count, value, maybe, fraction, flag, "values"))
            TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 2)
            """);
        var rows = ParquetRecords.Read<Row>(path);
        var expected = db.Query($"SELECT * FROM read_parquet('{path}')").Rows;
        Assert.That(rows, Has.Count.EqualTo(expected.Count));
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var actual = new object?[] { r.Name, r.Note, (long)r.Index, r.Count, r.Value, r.Maybe, (double)r.Fraction, r.Flag, r.Values?.Select(v => (object?)(double)v).ToArray() };
            Assert.That(actual, Is.EqualTo(expected[i]), $"row {i}");
        }
    }

    [Test]
    public void AnEmptyTableHasItsColumns()
    {
        using var dir = new TempDir("records-empty");
        string path = dir.File("empty.parquet");
        Assert.That(ParquetRecords.Write(path, Array.Empty<Row>()), Is.EqualTo(0));
        using var db = new DuckDb();
        Assert.That(db.Query($"SELECT count(*) FROM read_parquet('{path}')").Rows[0][0], Is.EqualTo(0L));
        Assert.That(db.Columns($"SELECT * FROM read_parquet('{path}')"), Has.Length.EqualTo(9));
        Assert.That(ParquetRecords.Read<Row>(path), Is.Empty);
        Assert.That(ParquetRecords.CountRows(path), Is.EqualTo(0));
    }

    [Test]
    public void AFailedWriteLeavesThePreviousFileAndNoTemporary()
    {
        using var dir = new TempDir("records-atomic");
        string path = dir.File("rows.parquet");
        ParquetRecords.Write(path, Rows);
        var before = File.ReadAllBytes(path);
        var bad = new[] { Rows[1], Rows[2] with { Name = null! } };
        var e = Assert.Throws<ArgumentException>(() => ParquetRecords.Write(path, bad))!;
        Assert.That(e.Message, Does.Contain("Name").And.Contain("'name'"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before), "the committed file is untouched");
        Assert.That(Directory.GetFiles(dir.Path), Is.EqualTo(new[] { path }), "no temporary file is left");
    }

    /// <summary>A record whose column the file lacks.</summary>
    public sealed record Other(string Missing);

    [Test]
    public void BadFilesAreOneErrorNamingTheFileAndColumn()
    {
        using var dir = new TempDir("records-bad");
        string path = dir.File("rows.parquet");
        ParquetRecords.Write(path, Rows);
        var missing = Assert.Throws<InvalidDataException>(() => ParquetRecords.Read<Other>(path))!;
        Assert.That(missing.Message, Does.Contain(path).And.Contain("'missing'"));

        string garbage = dir.File("garbage.parquet");
        File.WriteAllText(garbage, "not a parquet file at all");
        var notParquet = Assert.Throws<InvalidDataException>(() => ParquetRecords.Read<Row>(garbage))!;
        Assert.That(notParquet.Message, Does.Contain(garbage));
    }

    /// <summary>A later version of a record: <see cref="Row"/>'s first column plus nullable columns added afterwards.</summary>
    public sealed record Grown(string Name, string? Added, double? AddedNumber);

    /// <summary>A required column added later cannot be invented.</summary>
    public sealed record GrownRequired(string Name, string AddedRequired);

    [Test]
    public void NullableColumnsAddedLaterReadAsNullFromOlderFiles()
    {
        using var dir = new TempDir("records-grown");
        string path = dir.File("rows.parquet");
        ParquetRecords.Write(path, Rows);
        var grown = ParquetRecords.Read<Grown>(path);
        Assert.That(grown, Is.EqualTo(Rows.Select(r => new Grown(r.Name, null, null))));
        var e = Assert.Throws<InvalidDataException>(() => ParquetRecords.Read<GrownRequired>(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("'added_required'"));
    }
}
