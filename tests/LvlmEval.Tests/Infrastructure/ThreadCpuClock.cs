using System.Runtime.InteropServices;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>
/// CPU time consumed by the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). Complexity checks use it instead of
/// wall-clock time: on a busy machine a wall-clock sample mostly measures how long the thread waited for a core.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    public static double NowSeconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    /// <summary>The least thread CPU time of <paramref name="repeats"/> runs of <paramref name="work"/>.</summary>
    public static double MinSeconds(Action work, int repeats = 3)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeats; i++)
        {
            double start = NowSeconds();
            work();
            best = Math.Min(best, NowSeconds() - start);
        }
        return best;
    }
}
