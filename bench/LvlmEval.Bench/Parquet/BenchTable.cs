using LvlmEval.Parquet;

namespace LvlmEval.Bench.Parquet;

/// <summary>A results-like table for the Parquet benchmark (scores table shape plus a few more types).</summary>
internal static class BenchTable
{
    public static readonly ParquetSchema Schema = new(
        new ColumnSpec("run_id", ParquetColumnType.String),
        new ColumnSpec("sample_id", ParquetColumnType.String),
        new ColumnSpec("metric", ParquetColumnType.String),
        new ColumnSpec("token_index", ParquetColumnType.Int32),
        new ColumnSpec("value", ParquetColumnType.Double),
        new ColumnSpec("fraction", ParquetColumnType.Float, Nullable: true),
        new ColumnSpec("passed", ParquetColumnType.Boolean),
        new ColumnSpec("at", ParquetColumnType.Timestamp));

    public static ColumnData[] Generate(int rows)
    {
        var rng = new Random(42);
        string[] metrics = ["deletion_auc", "insertion_auc", "pointing_game", "énergie", "関連度"];
        var runId = new string?[rows];
        var sampleId = new string?[rows];
        var metric = new string?[rows];
        var token = new int[rows];
        var value = new double[rows];
        var fraction = new float?[rows];
        var passed = new bool[rows];
        var at = new DateTime[rows];
        var start = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < rows; i++)
        {
            runId[i] = "run-2026-11-22";
            sampleId[i] = $"sample-{i / 7:D7}-{rng.Next(1000):D3}";
            metric[i] = metrics[i % metrics.Length];
            token[i] = i % 40 - 1;
            value[i] = rng.NextDouble();
            fraction[i] = i % 9 == 0 ? null : (float)rng.NextDouble();
            passed[i] = rng.Next(2) == 0;
            at[i] = start.AddMilliseconds(i * 3L);
        }
        var arrays = new Array[] { runId, sampleId, metric, token, value, fraction, passed, at };
        return Schema.Columns.Select((c, i) => new ColumnData(c, arrays[i])).ToArray();
    }
}
