namespace LvlmEval.Parquet.Encodings;

/// <summary>DateTime ⇄ Unix epoch counts. Local times are converted to UTC; Unspecified is taken as UTC.</summary>
internal static class TimestampConversion
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public static long ToUnixMillis(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local) value = value.ToUniversalTime();
        return Math.DivRem(value.Ticks - EpochTicks, TimeSpan.TicksPerMillisecond) is var (q, r) && r < 0 ? q - 1 : q;
    }

    /// <summary>False when the count is outside DateTime's range.</summary>
    public static bool TryFromUnix(long count, Format.TimeUnit unit, DateTimeKind kind, out DateTime value)
    {
        long ticksPerUnit = unit switch
        {
            Format.TimeUnit.Millis => TimeSpan.TicksPerMillisecond,
            Format.TimeUnit.Micros => 10,
            _ => 0,
        };
        long ticks;
        if (ticksPerUnit == 0) ticks = count / 100; // nanoseconds: truncated to the 100 ns tick
        else if (count > (long.MaxValue - EpochTicks) / ticksPerUnit || count < -EpochTicks / ticksPerUnit)
        {
            value = default;
            return false;
        }
        else ticks = count * ticksPerUnit;
        long total = ticks + EpochTicks;
        if (total < 0 || total > DateTime.MaxValue.Ticks)
        {
            value = default;
            return false;
        }
        value = new DateTime(total, kind);
        return true;
    }
}
