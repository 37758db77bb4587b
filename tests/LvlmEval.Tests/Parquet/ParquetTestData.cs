using LvlmEval.Parquet;

namespace LvlmEval.Tests.Parquet;

/// <summary>Deterministic mixed-type tables (nulls, unicode, extremes) for the Parquet tests.</summary>
internal static class ParquetTestData
{
    public static readonly ParquetSchema MixedSchema = new(
        new ColumnSpec("id", ParquetColumnType.Int32),
        new ColumnSpec("big", ParquetColumnType.Int64, Nullable: true),
        new ColumnSpec("score", ParquetColumnType.Double),
        new ColumnSpec("ratio", ParquetColumnType.Float, Nullable: true),
        new ColumnSpec("flag", ParquetColumnType.Boolean, Nullable: true),
        new ColumnSpec("label", ParquetColumnType.String),
        new ColumnSpec("text", ParquetColumnType.String, Nullable: true),
        new ColumnSpec("at", ParquetColumnType.Timestamp, Nullable: true));

    private static readonly string[] Labels = ["cat", "dog", "日本語", "émigré", "🙂 smile", "Ωmega", "", "a\u0000b", "\uE000private", "𝔘nicode"];

    /// <summary>Rows of <see cref="MixedSchema"/>: about 1 in 7 nullable cells null, extremes sprinkled in.</summary>
    public static ColumnData[] Mixed(int rows, int seed)
    {
        var rng = new Random(seed);
        var id = new int[rows];
        var big = new long?[rows];
        var score = new double[rows];
        var ratio = new float?[rows];
        var flag = new bool?[rows];
        var label = new string?[rows];
        var text = new string?[rows];
        var at = new DateTime?[rows];
        var epoch = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < rows; i++)
        {
            id[i] = i % 1000 == 999 ? int.MinValue + i : i - rows / 2;
            big[i] = Null(rng) ? null : i % 997 == 0 ? long.MaxValue - i : rng.NextInt64(-1L << 50, 1L << 50);
            score[i] = i % 1013 == 0 ? -0.0 : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-5, 6));
            ratio[i] = Null(rng) ? null : (float)(rng.NextDouble() * 2 - 1);
            flag[i] = Null(rng) ? null : rng.Next(2) == 0;
            label[i] = Labels[rng.Next(Labels.Length)];
            text[i] = Null(rng) ? null : $"{Labels[i % Labels.Length]}-{i}-{rng.Next():x}";
            at[i] = Null(rng) ? null : epoch.AddMilliseconds(rng.NextInt64(-40_000_000_000L, 40_000_000_000L));
        }
        var data = new Array[] { id, big, score, ratio, flag, label, text, at };
        return MixedSchema.Columns.Select((c, i) => new ColumnData(c, data[i])).ToArray();
    }

    private static bool Null(Random rng) => rng.Next(7) == 0;
}
