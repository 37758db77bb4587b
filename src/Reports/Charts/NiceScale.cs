using System.Globalization;

namespace LvlmEval.Reports.Charts;

/// <summary>
/// A linear axis with "nice" ticks (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990): the step is
/// 1, 2 or 5 × 10^k, and the axis runs from the tick at or below the data minimum to the tick at or above the maximum.
/// </summary>
public sealed class NiceScale
{
    private NiceScale(double min, double max, double step, IReadOnlyList<double> ticks)
    {
        Min = min;
        Max = max;
        Step = step;
        Ticks = ticks;
    }

    /// <summary>Lower end of the axis (the first tick).</summary>
    public double Min { get; }

    /// <summary>Upper end of the axis (the last tick).</summary>
    public double Max { get; }

    /// <summary>Distance between ticks.</summary>
    public double Step { get; }

    /// <summary>Tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>
    /// The scale covering [<paramref name="dataMin"/>, <paramref name="dataMax"/>] with about <paramref name="targetTicks"/>
    /// ticks. A zero-width range is widened to one unit around the value (or ±10 % of it) so a flat line still has an axis.
    /// </summary>
    public static NiceScale For(double dataMin, double dataMax, int targetTicks = 5)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax) || dataMin > dataMax)
            throw new ArgumentException($"Axis range [{dataMin}, {dataMax}] is not a finite interval.");
        if (targetTicks < 2) throw new ArgumentOutOfRangeException(nameof(targetTicks), targetTicks, "An axis needs at least two ticks.");
        if (dataMin == dataMax)
        {
            double pad = dataMin == 0 ? 0.5 : Math.Abs(dataMin) * 0.1;
            dataMin -= pad;
            dataMax += pad;
        }
        double range = NiceNumber(dataMax - dataMin, round: false);
        double step = NiceNumber(range / (targetTicks - 1), round: true);
        double min = Math.Floor(dataMin / step + 1e-9) * step, max = Math.Ceiling(dataMax / step - 1e-9) * step;
        int count = (int)Math.Round((max - min) / step) + 1;
        var ticks = new double[count];
        for (int i = 0; i < count; i++) ticks[i] = Clean(min + i * step, step);
        return new NiceScale(ticks[0], ticks[^1], step, ticks);
    }

    /// <summary>Maps a value to a pixel position between <paramref name="from"/> (at Min) and <paramref name="to"/> (at Max).</summary>
    public double Map(double value, double from, double to) => from + (value - Min) / (Max - Min) * (to - from);

    /// <summary>A tick label with just as many decimals as the step needs (0.2 → "0.2", 25 → "25", 1e-3 steps → "0.001").</summary>
    public string Label(double value)
    {
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(Step) + 1e-9));
        if (Step * Math.Pow(10, decimals) % 1 > 1e-6) decimals++; // 2.5 × 10^k steps need one more digit
        return Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>The nice number near <paramref name="x"/>: rounded (1, 2, 5, 10) or the one at or above it.</summary>
    private static double NiceNumber(double x, bool round)
    {
        double exponent = Math.Floor(Math.Log10(x));
        double fraction = x / Math.Pow(10, exponent);
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }

    // 0.1 + 0.2 style noise would print as 0.30000000000000004; snap to the step's precision.
    private static double Clean(double value, double step)
    {
        int digits = Math.Clamp(-(int)Math.Floor(Math.Log10(step)) + 2, 0, 15);
        double cleaned = Math.Round(value, digits);
        return cleaned == 0 ? 0 : cleaned;
    }
}
