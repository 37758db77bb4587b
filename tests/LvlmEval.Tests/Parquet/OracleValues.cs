using System.Globalization;
using System.Text.Json;
using LvlmEval.Parquet;

namespace LvlmEval.Tests.Parquet;

/// <summary>
/// Compares our values with the exact text the DuckDB oracle prints: integers in decimal, doubles and floats
/// in JavaScript's shortest round-trip form (floats widened to double), timestamps as epoch microseconds.
/// </summary>
internal static class OracleValues
{
    public static long EpochMicros(DateTime t) => (t.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>True when <paramref name="ours"/> (a CLR value or null) equals the oracle's JSON value.</summary>
    public static bool Same(ParquetColumnType type, object? ours, JsonElement oracle)
    {
        if (ours is null || oracle.ValueKind == JsonValueKind.Null) return ours is null && oracle.ValueKind == JsonValueKind.Null;
        return type switch
        {
            ParquetColumnType.Int32 => long.Parse(oracle.GetString()!, CultureInfo.InvariantCulture) == (int)ours,
            ParquetColumnType.Int64 => long.Parse(oracle.GetString()!, CultureInfo.InvariantCulture) == (long)ours,
            ParquetColumnType.Double => SameBits(ParseDouble(oracle.GetString()!), (double)ours),
            ParquetColumnType.Float => SameBits(ParseDouble(oracle.GetString()!), (float)ours),
            ParquetColumnType.Boolean => oracle.GetBoolean() == (bool)ours,
            ParquetColumnType.String => oracle.GetString() == (string)ours,
            ParquetColumnType.Timestamp => long.Parse(oracle.GetString()!, CultureInfo.InvariantCulture) == EpochMicros((DateTime)ours),
            _ => false,
        };
    }

    public static double ParseDouble(string s) => s switch
    {
        "-0" => -0.0,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    public static string Describe(object? v) => v switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => $"{t:O} ({EpochMicros(t)} µs)",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "?",
    };
}
