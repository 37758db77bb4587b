using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers;

/// <summary>
/// Traced forwards of one sample, kept so several explainers reuse one forward: a request is served by any kept trace
/// whose options record at least what is asked. Gradients are cleared by every backward, so sharing is safe.
/// A cache made with a plan (<see cref="For"/>) runs the plan joined with the first request, so one traced forward
/// serves every explainer of the sample.
/// </summary>
public sealed class TraceCache
{
    private readonly List<Trace> _traces = [];
    private readonly TraceOptions? _plan;

    /// <summary>An empty cache that runs exactly what each request asks.</summary>
    public TraceCache()
    {
    }

    /// <summary>An empty cache whose first traced forward records <paramref name="plan"/> as well as what is asked.</summary>
    public TraceCache(TraceOptions? plan) => _plan = plan;

    /// <summary>A cache planned to serve every one of <paramref name="explainers"/> from one traced forward (their <see cref="IExplainer.TraceNeeds"/> joined).</summary>
    public static TraceCache For(IEnumerable<IExplainer> explainers)
    {
        TraceOptions? plan = null;
        foreach (var explainer in explainers)
            if (explainer.TraceNeeds is { } needs) plan = plan is null ? needs : Join(plan, needs);
        return new TraceCache(plan);
    }

    /// <summary>Traces run so far.</summary>
    public int Count => _traces.Count;

    /// <summary>A snapshot of the kept traces (readers on other threads, e.g. a memory budget, see a consistent list).</summary>
    public IReadOnlyList<Trace> Kept
    {
        get { lock (_traces) return _traces.ToArray(); }
    }

    /// <summary>What the planned forward records (null: no plan).</summary>
    public TraceOptions? Plan => _plan;

    /// <summary>A kept trace covering <paramref name="needed"/>, or the result of <paramref name="run"/> (then kept).</summary>
    public Trace GetOrRun(TraceOptions needed, Func<TraceOptions, Trace> run)
    {
        foreach (var t in _traces)
            if (Covers(t.Options, needed)) return t;
        // Hooks edit the forward, so a hooked request never shares; otherwise the plan rides along (its logits start where asked).
        var options = _plan is { } plan && !needed.HasEdits ? Join(plan, needed) with { LogitsFrom = needed.LogitsFrom } : needed;
        var trace = run(options);
        lock (_traces) _traces.Add(trace);
        return trace;
    }

    /// <summary>Options recording everything either <paramref name="a"/> or <paramref name="b"/> records (logits from the earlier start; no hooks).</summary>
    public static TraceOptions Join(TraceOptions a, TraceOptions b)
    {
        if (a.HasEdits || b.HasEdits) throw new ArgumentException("Traces with hidden-state hooks or attention blocks cannot be joined.");
        bool gradients = a.Gradients || b.Gradients;
        return new TraceOptions
        {
            LanguageAttentions = a.LanguageAttentions || b.LanguageAttentions,
            VisionAttentions = a.VisionAttentions || b.VisionAttentions,
            LanguageHiddenStates = a.LanguageHiddenStates || b.LanguageHiddenStates,
            LanguageValues = a.LanguageValues || b.LanguageValues,
            VisionHiddenStates = a.VisionHiddenStates || b.VisionHiddenStates,
            Gradients = gradients,
            // Without gradients the flag is unused; keep the record's default so plain joins equal plain options.
            GradientsToPixels = !gradients || (a.Gradients && a.GradientsToPixels) || (b.Gradients && b.GradientsToPixels),
            LogitsFrom = Math.Min(a.LogitsFrom, b.LogitsFrom),
            RecomputeLayers = a.RecomputeLayers ?? b.RecomputeLayers,
        };
    }

    /// <summary>Whether a trace run with <paramref name="have"/> holds everything <paramref name="need"/> asks for.</summary>
    public static bool Covers(TraceOptions have, TraceOptions need) =>
        (have.LanguageAttentions || !need.LanguageAttentions)
        && (have.VisionAttentions || !need.VisionAttentions)
        && (have.LanguageHiddenStates || !need.LanguageHiddenStates)
        && (have.LanguageValues || !need.LanguageValues)
        && (have.VisionHiddenStates || !need.VisionHiddenStates)
        && (!need.Gradients || (have.Gradients && (have.GradientsToPixels || !need.GradientsToPixels)))
        && !have.HasEdits && !need.HasEdits
        && have.LogitsFrom <= need.LogitsFrom;
}
