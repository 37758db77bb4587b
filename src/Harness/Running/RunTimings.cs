using System.Diagnostics;
using System.Text.Json.Nodes;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Harness.Running;

/// <summary>Where a run's wall time went: model computation (from <see cref="ModelClock"/>), model loading, writing, and the rest (harness overhead).</summary>
public sealed class RunTimings
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _modelAtStart = ModelClock.Elapsed;
    private readonly TimeSpan _jitAtStart = System.Runtime.JitInfo.GetCompilationTime();
    private readonly TimeSpan _gcAtStart = GC.GetTotalPauseDuration();

    private long _modelLoading, _generation, _explaining, _scoring, _writing;
    private readonly TimeSpan _threadModelAtStart = ModelClock.ThreadTime;

    /// <summary>Adds to <see cref="ModelLoading"/> (any thread).</summary>
    public void AddModelLoading(TimeSpan t) => Interlocked.Add(ref _modelLoading, t.Ticks);

    /// <summary>Adds to <see cref="Generation"/> (any thread).</summary>
    public void AddGeneration(TimeSpan t) => Interlocked.Add(ref _generation, t.Ticks);

    /// <summary>Adds to <see cref="Explaining"/> (any thread).</summary>
    public void AddExplaining(TimeSpan t) => Interlocked.Add(ref _explaining, t.Ticks);

    /// <summary>Adds to <see cref="Scoring"/> (any thread).</summary>
    public void AddScoring(TimeSpan t) => Interlocked.Add(ref _scoring, t.Ticks);

    /// <summary>Adds to <see cref="Writing"/> (any thread).</summary>
    public void AddWriting(TimeSpan t) => Interlocked.Add(ref _writing, t.Ticks);

    /// <summary>Loading checkpoints (reading and converting weights).</summary>
    public TimeSpan ModelLoading => TimeSpan.FromTicks(Interlocked.Read(ref _modelLoading));

    /// <summary>Generation alone (part of model time).</summary>
    public TimeSpan Generation => TimeSpan.FromTicks(Interlocked.Read(ref _generation));

    /// <summary>Inside explainers (model calls included; summed over workers).</summary>
    public TimeSpan Explaining => TimeSpan.FromTicks(Interlocked.Read(ref _explaining));

    /// <summary>Inside metrics (model calls included; summed over workers).</summary>
    public TimeSpan Scoring => TimeSpan.FromTicks(Interlocked.Read(ref _scoring));

    /// <summary>Writing part files and errors.</summary>
    public TimeSpan Writing => TimeSpan.FromTicks(Interlocked.Read(ref _writing));

    /// <summary>Wall time so far.</summary>
    public TimeSpan Wall => _wall.Elapsed;

    /// <summary>Wall time during which a model forward or backward ran (on any worker) so far.</summary>
    public TimeSpan Model => ModelClock.Elapsed - _modelAtStart;

    /// <summary>Model time summed over sample workers: above <see cref="Model"/> when workers overlap.</summary>
    public TimeSpan ModelThreads => ModelClock.ThreadTime - _threadModelAtStart;

    /// <summary>Samples processed at once (sample workers).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>Compiling methods to machine code (all threads), part of the overhead: a short run pays for it once.</summary>
    public TimeSpan Jit => System.Runtime.JitInfo.GetCompilationTime() - _jitAtStart;

    /// <summary>Garbage-collection pauses.</summary>
    public TimeSpan GcPauses => GC.GetTotalPauseDuration() - _gcAtStart;

    /// <summary>Wall time during which neither model computation nor checkpoint loading ran: the harness's own cost to the run.</summary>
    public TimeSpan Overhead => Wall - Model - ModelLoading;

    /// <summary>The figures as JSON seconds, for the manifest.</summary>
    public JsonObject ToJson() => new()
    {
        ["wall_s"] = Round(Wall), ["workers"] = Workers, ["model_s"] = Round(Model), ["model_thread_s"] = Round(ModelThreads), ["model_loading_s"] = Round(ModelLoading), ["generation_s"] = Round(Generation),
        ["explainers_s"] = Round(Explaining), ["metrics_s"] = Round(Scoring), ["writing_s"] = Round(Writing),
        ["jit_s"] = Round(Jit), ["gc_pause_s"] = Round(GcPauses),
        ["overhead_s"] = Round(Overhead), ["overhead_fraction"] = Wall > TimeSpan.Zero ? Math.Round(Overhead / Wall, 4) : 0,
    };

    private static double Round(TimeSpan t) => Math.Round(t.TotalSeconds, 3);
}
