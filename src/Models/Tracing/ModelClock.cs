using System.Diagnostics;

namespace LvlmEval.Models.Tracing;

/// <summary>
/// Process-wide time spent inside model computation (generation, traced forwards, backward passes, image features),
/// so a harness can tell its own overhead from model time. Nested measurements on one thread count once; while
/// several threads compute at once, <see cref="Elapsed"/> counts the wall time during which any of them was inside the
/// model (so wall − <see cref="Elapsed"/> is the time no model computation ran), and <see cref="ThreadTime"/> the sum
/// over threads.
/// </summary>
public static class ModelClock
{
    private static readonly Lock Gate = new();
    private static long _busyTicks, _threadTicks, _calls, _busySince;
    private static int _active;
    [ThreadStatic] private static int _depth;

    /// <summary>Wall time during which at least one thread was inside the model, so far (a computation under way included).</summary>
    public static TimeSpan Elapsed
    {
        get
        {
            lock (Gate) return Stopwatch.GetElapsedTime(0, _busyTicks + (_active > 0 ? Stopwatch.GetTimestamp() - _busySince : 0));
        }
    }

    /// <summary>Time inside the model summed over threads (finished measurements): above <see cref="Elapsed"/> when threads overlap.</summary>
    public static TimeSpan ThreadTime
    {
        get
        {
            lock (Gate) return Stopwatch.GetElapsedTime(0, _threadTicks);
        }
    }

    /// <summary>Outermost measured calls so far.</summary>
    public static long Calls => Interlocked.Read(ref _calls);

    /// <summary>Starts measuring; dispose to stop.</summary>
    public static Measurement Measure()
    {
        if (_depth++ != 0) return new Measurement(0);
        long now = Stopwatch.GetTimestamp();
        lock (Gate)
            if (_active++ == 0) _busySince = now;
        return new Measurement(now);
    }

    /// <summary>An open measurement.</summary>
    public readonly struct Measurement : IDisposable
    {
        private readonly long _start;

        internal Measurement(long start) => _start = start;

        /// <summary>Stops it (the outermost one on its thread adds to the clock).</summary>
        public void Dispose()
        {
            _depth--;
            if (_start == 0) return;
            long now = Stopwatch.GetTimestamp();
            lock (Gate)
            {
                _threadTicks += now - _start;
                _calls++;
                if (--_active == 0) _busyTicks += now - _busySince;
            }
        }
    }
}
