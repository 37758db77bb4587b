using System.Globalization;
using System.Text.RegularExpressions;
using LvlmEval.Explainers;
using LvlmEval.Metrics.Statistics;
using LvlmEval.Models.Llava;

namespace LvlmEval.Metrics.Sanity;

/// <summary>How far an explanation moved after one more group of parameters was randomised.</summary>
/// <param name="Group">The group randomised last ("lm_head", "language.layers.3", "projector", "vision.layers.0" …).</param>
/// <param name="Spearman">Rank correlation with the trained model's map.</param>
/// <param name="SpearmanAbsolute">Rank correlation of the absolute values (Adebayo et al. report both).</param>
/// <param name="Ssim">Structural similarity with the trained model's map.</param>
/// <param name="Failure">Why the step has no similarity (NaN values): a constant or non-finite map carries no ranking, so
/// it can be neither "unchanged" nor "changed"; null when the step was compared.</param>
public sealed record RandomisationStep(string Group, double Spearman, double SpearmanAbsolute, double Ssim, string? Failure = null)
{
    /// <summary>Whether the maps could be compared.</summary>
    public bool Compared => Failure is null;
}

/// <summary>
/// The cascading model-parameter randomisation test (Adebayo et al. 2018, "Sanity Checks for Saliency Maps"):
/// parameter groups are re-drawn from the top of the network down (head, language layers last to first, the rest of
/// the language model, projector, vision layers last to first, the rest of the tower); after each group the
/// explanation is recomputed and compared with the trained model's map. Each tensor is replaced by Gaussian noise with
/// the tensor's own mean and standard deviation. The model is changed in place: load a fresh copy afterwards.
/// </summary>
public static partial class ParameterRandomisation
{
    [GeneratedRegex(@"(?:^|\.)layers\.(\d+)\.")]
    private static partial Regex LayerIndex();

    /// <summary>The group of a checkpoint parameter name.</summary>
    public static string GroupOf(string name)
    {
        string part = name.Contains("lm_head", StringComparison.Ordinal) ? "lm_head"
            : name.Contains("multi_modal_projector", StringComparison.Ordinal) ? "projector"
            : name.Contains("vision_tower", StringComparison.Ordinal) ? "vision"
            : "language";
        if (part is "lm_head" or "projector") return part;
        var match = LayerIndex().Match(name);
        return match.Success ? $"{part}.layers.{match.Groups[1].Value}" : $"{part}.other";
    }

    /// <summary>The model's groups, top of the network first.</summary>
    public static IReadOnlyList<string> Groups(LlavaModel model)
    {
        var groups = model.Parameters.Select(p => GroupOf(p.Name)).Distinct().ToList();
        static int Layer(string g) => int.Parse(g[(g.LastIndexOf('.') + 1)..], CultureInfo.InvariantCulture);
        static (int Part, int Order) Key(string g) => g switch
        {
            "lm_head" => (0, 0),
            "language.other" => (2, 0),
            "projector" => (3, 0),
            "vision.other" => (5, 0),
            _ when g.StartsWith("language.layers.", StringComparison.Ordinal) => (1, -Layer(g)),
            _ => (4, -Layer(g)),
        };
        return groups.OrderBy(g => Key(g).Part).ThenBy(g => Key(g).Order).ToArray();
    }

    /// <summary>Runs the cascade: <paramref name="explain"/> is called once on the trained model, then after each group.</summary>
    public static IReadOnlyList<RandomisationStep> Cascade(LlavaModel model, Func<PatchMap> explain, int seed)
    {
        var reference = explain();
        var rng = new Random(seed);
        var steps = new List<RandomisationStep>();
        foreach (var group in Groups(model))
        {
            foreach (var (name, tensor) in model.Parameters)
                if (GroupOf(name) == group) Redraw(tensor.Data, rng);
            var map = explain();
            steps.Add(Compare(group, reference, map));
        }
        return steps;
    }

    /// <summary>
    /// Spearman (signed and absolute) and SSIM between two maps on the same grid. A degenerate map (a non-finite value, or
    /// every value equal, e.g. an explainer whose gradients vanished in the randomised model) gives a failed step: NaN
    /// similarities and the reason, never a similarity of 0 that would read as "the map changed".
    /// </summary>
    public static RandomisationStep Compare(string group, PatchMap trained, PatchMap randomised)
    {
        if (trained.GridHeight != randomised.GridHeight || trained.GridWidth != randomised.GridWidth)
            throw new ArgumentException($"Maps differ in grid: {trained.GridHeight}×{trained.GridWidth} vs {randomised.GridHeight}×{randomised.GridWidth}.");
        // Patches missing from both maps (no image token holds them) are ranked last in each; missing in one only is a failure.
        if (trained.Values.Select(float.IsNaN).SequenceEqual(randomised.Values.Select(float.IsNaN)))
            (trained, randomised) = (trained.MissingAsMinimum(), randomised.MissingAsMinimum());
        if ((Degenerate(trained.Values, "trained") ?? Degenerate(randomised.Values, "randomised")) is { } failure)
            return new RandomisationStep(group, double.NaN, double.NaN, double.NaN, failure);
        var absTrained = trained.Values.Select(Math.Abs).ToArray();
        var absRandom = randomised.Values.Select(Math.Abs).ToArray();
        int window = Math.Min(7, Math.Min(trained.GridHeight, trained.GridWidth));
        return new RandomisationStep(group,
            MapSimilarity.Spearman(trained.Values, randomised.Values),
            MapSimilarity.Spearman(absTrained, absRandom),
            window >= 2 ? MapSimilarity.Ssim(trained.Values, randomised.Values, trained.GridHeight, trained.GridWidth, window) : double.NaN);
    }

    /// <summary>Why a map cannot be ranked (a non-finite value, or no two values differ), or null.</summary>
    private static string? Degenerate(float[] values, string which)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return $"the {which} map holds {values[i]} at patch {i}";
        for (int i = 1; i < values.Length; i++)
            if (values[i] != values[0]) return null;
        return $"the {which} map is constant ({values[0]}), so it has no ranking to compare";
    }

    private static void Redraw(Span<float> values, Random rng)
    {
        double mean = 0, square = 0;
        foreach (float v in values) { mean += v; square += (double)v * v; }
        mean /= values.Length;
        double std = Math.Sqrt(Math.Max(square / values.Length - mean * mean, 0));
        if (std == 0) std = 0.02; // constant tensors (fresh norms, zero biases) still get noise
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            values[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
