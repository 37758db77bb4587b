namespace LvlmEval.Parquet.Writing;

/// <summary>Splits a slice of nullable values into the non-null values and definition levels (1 = present, 0 = null).</summary>
internal static class Densify
{
    public static (T[] Dense, int Count, int[] Levels) Nullable<T>(T?[] values, int start, int count) where T : struct
    {
        var dense = new T[count];
        var levels = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            var v = values[start + i];
            if (v.HasValue)
            {
                dense[n++] = v.GetValueOrDefault();
                levels[i] = 1;
            }
        }
        return (dense, n, levels);
    }

    /// <summary>Strings use null for missing; a REQUIRED string column must have none.</summary>
    public static (string[] Dense, int Count, int[]? Levels) Strings(ColumnSpec column, string?[] values, int start, int count)
    {
        if (!column.Nullable)
        {
            var copy = new string[count];
            for (int i = 0; i < count; i++)
                copy[i] = values[start + i] ?? throw new ArgumentException($"Column '{column.Name}' is not nullable but row {start + i} is null.");
            return (copy, count, null);
        }
        var dense = new string[count];
        var levels = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            if (values[start + i] is { } s)
            {
                dense[n++] = s;
                levels[i] = 1;
            }
        }
        return (dense, n, levels);
    }
}
