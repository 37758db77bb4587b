using LvlmEval.Common.Registries;
using System.Globalization;

namespace LvlmEval.Metrics.Task;

/// <summary>
/// ChartQA relaxed accuracy (Masry et al. 2022; the <c>relaxed_correctness</c> rule of Methani et al. 2020 as used by
/// pix2struct): if the prediction parses as a number and the target as a non-zero number (a trailing <c>%</c> divides by
/// 100; surrounding white space is allowed, as Python's <c>float</c> allows it), the prediction is right when
/// |p − t| / |t| ≤ 5%; otherwise (strings, a zero target) the two must match case-insensitively, as given. The score is
/// the best over the references. By default this is the reference rule exactly; <paramref name="trimPeriod"/> (this
/// project's extension, dataset setting <c>relaxed_trim_period: true</c>) first trims white space and one trailing
/// period from both, so "12." and "Yes." count.
/// </summary>
public sealed class RelaxedAccuracy(bool trimPeriod = false) : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>chartqa</c>.</summary>
    public static Registration<ITaskScorer> ChartQaRegistration { get; } = new(
        new Descriptor("chartqa", "relaxed accuracy (5 % numeric tolerance)", "ChartQA (Masry et al. 2022)", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), p => new RelaxedAccuracy(p.Bool(TrimPeriodSetting, false)));

    /// <summary>The dataset setting that turns on <see cref="TrimPeriod"/>.</summary>
    public const string TrimPeriodSetting = "relaxed_trim_period";

    /// <summary>Whether white space and one trailing period are trimmed before comparing (off by default: not in the reference).</summary>
    public bool TrimPeriod { get; } = trimPeriod;

    /// <summary>Tolerance on the relative change (5%).</summary>
    public const double MaxRelativeChange = 0.05;

    /// <inheritdoc />
    public string Name => "relaxed-accuracy";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException("Relaxed accuracy needs at least one reference answer.", nameof(references));
        foreach (var target in references) if (IsCorrect(prediction, target, TrimPeriod)) return 1;
        return 0;
    }

    /// <summary>Whether <paramref name="prediction"/> is relaxed-correct for <paramref name="target"/> (optionally after trimming a trailing period).</summary>
    public static bool IsCorrect(string prediction, string target, bool trimPeriod = false)
    {
        if (trimPeriod)
        {
            prediction = Clean(prediction);
            target = Clean(target);
        }
        double? p = ToNumber(prediction), t = ToNumber(target);
        if (p is { } pv && t is { } tv && tv != 0)
            return Math.Abs(pv - tv) / Math.Abs(tv) <= MaxRelativeChange;
        return string.Equals(prediction.ToLowerInvariant(), target.ToLowerInvariant(), StringComparison.Ordinal);
    }

    private static string Clean(string text)
    {
        text = text.Trim();
        return text.EndsWith('.') ? text[..^1].TrimEnd() : text;
    }

    /// <summary>A decimal number, "12%" as 0.12; null for anything else (Python's float() accepts the same plain decimal and exponent forms).</summary>
    public static double? ToNumber(string text)
    {
        bool percent = text.EndsWith('%');
        var body = percent ? text.TrimEnd('%') : text; // Python's rstrip("%") removes every trailing %
        if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value)) return null;
        return percent ? value / 100.0 : value;
    }
}
