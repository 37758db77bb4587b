using System.Diagnostics;

namespace LvlmEval.Bench;

/// <summary>Wall-clock measurement: warm-up runs, then the median of timed repetitions.</summary>
public static class Timing
{
    /// <summary>Median seconds of <paramref name="repeats"/> runs after <paramref name="warmup"/> untimed ones.</summary>
    public static double MedianSeconds(Action action, int warmup = 2, int repeats = 5)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    /// <summary>Median seconds of two actions timed alternately, so machine noise hits both alike.</summary>
    public static (double A, double B) MedianSecondsInterleaved(Action a, Action b, int warmup = 2, int repeats = 7)
    {
        var (ta, tb) = SecondsInterleaved(a, b, warmup, repeats);
        return (ta[repeats / 2], tb[repeats / 2]);
    }

    /// <summary>
    /// Every timing of two actions run alternately, each sorted ascending: the median for the usual figure, the minimum
    /// for the least disturbed run of each (a steadier ratio of short actions on a shared machine).
    /// </summary>
    public static (double[] A, double[] B) SecondsInterleaved(Action a, Action b, int warmup = 2, int repeats = 7)
    {
        for (int i = 0; i < warmup; i++) { a(); b(); }
        var ta = new double[repeats];
        var tb = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            a();
            ta[i] = sw.Elapsed.TotalSeconds;
            sw.Restart();
            b();
            tb[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(ta);
        Array.Sort(tb);
        return (ta, tb);
    }

    /// <summary>The median of <paramref name="values"/> (the upper one of an even count), as every timing here reports.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Threads used by both sides of a comparison: LVLM_BENCH_THREADS, else all cores.</summary>
    public static int Threads => int.TryParse(Environment.GetEnvironmentVariable("LVLM_BENCH_THREADS"), out var t) && t > 0 ? t : Environment.ProcessorCount;
}
