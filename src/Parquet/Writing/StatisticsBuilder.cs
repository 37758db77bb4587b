using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Writing;

/// <summary>Column chunk statistics: min/max in the type's order (NaN left out, zeros signed per the spec) and the null count.</summary>
internal static class StatisticsBuilder
{
    public static Statistics Build<T, TCodec>(ReadOnlySpan<T> values, long nullCount) where TCodec : IPhysicalCodec<T>
    {
        var stats = new Statistics { NullCount = nullCount };
        bool any = false;
        T min = default!, max = default!;
        foreach (var v in values)
        {
            if (!TCodec.IsOrdered(v)) continue;
            if (!any)
            {
                min = max = v;
                any = true;
            }
            else if (TCodec.Compare(v, min) < 0) min = v;
            else if (TCodec.Compare(v, max) > 0) max = v;
        }
        if (!any) return stats;
        // The spec asks for -0.0 as a zero minimum and +0.0 as a zero maximum, so readers can prune safely.
        if (min is double dmin && dmin == 0) min = (T)(object)-0.0;
        if (max is double dmax && dmax == 0) max = (T)(object)0.0;
        if (min is float fmin && fmin == 0) min = (T)(object)-0.0f;
        if (max is float fmax && fmax == 0) max = (T)(object)0.0f;
        stats.MinValue = TCodec.ToStatisticsBytes(min);
        stats.MaxValue = TCodec.ToStatisticsBytes(max);
        return stats;
    }
}
