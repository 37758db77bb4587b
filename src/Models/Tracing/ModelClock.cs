using System.Diagnostics;

namespace LvlmEval.Models.Tracing;

/// <summary>
/// Process-wide time spent inside model computation (generation, traced forwards, backward passes, image features),
/// so a harness can tell its own overhead from model time. Nested measurements on one thread count once.
/// </summary>
public static class ModelClock
{
    private static long _ticks;
    private static long _calls;
    [ThreadStatic] private static int _depth;

    /// <summary>Total model time so far.</summary>
    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    /// <summary>Outermost measured calls so far.</summary>
    public static long Calls => Interlocked.Read(ref _calls);

    /// <summary>Starts measuring; dispose to stop.</summary>
    public static Measurement Measure() => new(_depth++ == 0 ? Stopwatch.GetTimestamp() : 0);

    /// <summary>An open measurement.</summary>
    public readonly struct Measurement : IDisposable
    {
        private readonly long _start;

        internal Measurement(long start) => _start = start;

        /// <inheritdoc/>
        public void Dispose()
        {
            _depth--;
            if (_start == 0) return;
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - _start);
            Interlocked.Increment(ref _calls);
        }
    }
}
