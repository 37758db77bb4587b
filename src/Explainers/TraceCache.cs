using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers;

/// <summary>
/// Traced forwards of one sample, kept so several explainers reuse one forward: a request is served by any kept trace
/// whose options record at least what is asked. Gradients are cleared by every backward, so sharing is safe.
/// </summary>
public sealed class TraceCache
{
    private readonly List<Trace> _traces = [];

    /// <summary>Traces run so far.</summary>
    public int Count => _traces.Count;

    /// <summary>A kept trace covering <paramref name="needed"/>, or the result of <paramref name="run"/> (then kept).</summary>
    public Trace GetOrRun(TraceOptions needed, Func<TraceOptions, Trace> run)
    {
        foreach (var t in _traces)
            if (Covers(t.Options, needed)) return t;
        var trace = run(needed);
        _traces.Add(trace);
        return trace;
    }

    /// <summary>Whether a trace run with <paramref name="have"/> holds everything <paramref name="need"/> asks for.</summary>
    public static bool Covers(TraceOptions have, TraceOptions need) =>
        (have.LanguageAttentions || !need.LanguageAttentions)
        && (have.VisionAttentions || !need.VisionAttentions)
        && (have.LanguageHiddenStates || !need.LanguageHiddenStates)
        && (have.VisionHiddenStates || !need.VisionHiddenStates)
        && (!need.Gradients || (have.Gradients && (have.GradientsToPixels || !need.GradientsToPixels)))
        && have.Hooks.Count == 0 && need.Hooks.Count == 0
        && have.LogitsFrom <= need.LogitsFrom;
}
