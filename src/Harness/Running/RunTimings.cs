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

    /// <summary>Loading checkpoints (reading and converting weights).</summary>
    public TimeSpan ModelLoading { get; set; }

    /// <summary>Generation alone (part of model time).</summary>
    public TimeSpan Generation { get; set; }

    /// <summary>Inside explainers (model calls included).</summary>
    public TimeSpan Explaining { get; set; }

    /// <summary>Inside metrics (model calls included).</summary>
    public TimeSpan Scoring { get; set; }

    /// <summary>Writing part files and errors.</summary>
    public TimeSpan Writing { get; set; }

    /// <summary>Wall time so far.</summary>
    public TimeSpan Wall => _wall.Elapsed;

    /// <summary>Model forwards and backwards so far.</summary>
    public TimeSpan Model => ModelClock.Elapsed - _modelAtStart;

    /// <summary>Compiling methods to machine code (all threads), part of the overhead: a short run pays for it once.</summary>
    public TimeSpan Jit => System.Runtime.JitInfo.GetCompilationTime() - _jitAtStart;

    /// <summary>Garbage-collection pauses.</summary>
    public TimeSpan GcPauses => GC.GetTotalPauseDuration() - _gcAtStart;

    /// <summary>Everything but model computation and checkpoint loading.</summary>
    public TimeSpan Overhead => Wall - Model - ModelLoading;

    /// <summary>The figures as JSON seconds, for the manifest.</summary>
    public JsonObject ToJson() => new()
    {
        ["wall_s"] = Round(Wall), ["model_s"] = Round(Model), ["model_loading_s"] = Round(ModelLoading), ["generation_s"] = Round(Generation),
        ["explainers_s"] = Round(Explaining), ["metrics_s"] = Round(Scoring), ["writing_s"] = Round(Writing),
        ["jit_s"] = Round(Jit), ["gc_pause_s"] = Round(GcPauses),
        ["overhead_s"] = Round(Overhead), ["overhead_fraction"] = Wall > TimeSpan.Zero ? Math.Round(Overhead / Wall, 4) : 0,
    };

    private static double Round(TimeSpan t) => Math.Round(t.TotalSeconds, 3);
}
