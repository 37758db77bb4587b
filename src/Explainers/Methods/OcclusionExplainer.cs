using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Occlusion (Zeiler &amp; Fergus 2014): a square of <c>window</c> × <c>window</c> patches slides over the grid with
/// <c>stride</c>, filled with a constant; each patch scores the mean drop log p(token | image) − log p(token | occluded)
/// over the windows covering it. The sequence map uses the drop of Σ_t log p(token t). Occluded images run in batches.
/// </summary>
public sealed class OcclusionExplainer : IExplainer
{
    private readonly ParameterSet _parameters;
    private readonly int _window, _stride, _batchSize;
    private readonly string _fill;

    /// <summary>Parameters: <c>window</c> (patches, default 2), <c>stride</c> (patches, default 2), <c>fill</c> (mean, black; default mean), <c>batch_size</c> (default 8).</summary>
    public OcclusionExplainer(ParameterSet parameters)
    {
        _parameters = parameters;
        _window = parameters.Int("window", 2, 1);
        _stride = parameters.Int("stride", 2, 1);
        _fill = parameters.Choice("fill", "mean", "mean", "black");
        _batchSize = parameters.Int("batch_size", 8, 1, 1024);
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("occlusion", "log-probability drop when a sliding window of patches is filled", "Zeiler & Fergus 2014", "1 forward per window position", Granularity.Token | Granularity.Sequence),
        p => new OcclusionExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public void Validate(LlavaModel model)
    {
        int grid = Math.Min(model.Config.Vision.GridSide, model.Config.Vision.GridSide);
        if (_window > grid) throw _parameters.Error("window", _window, $"a window of 1 … {grid} patches: the grid is {grid} × {grid}");
    }

    /// <summary>Top-left corners along one axis: every stride, plus a last one flush with the end so every patch is covered.</summary>
    internal static List<int> Starts(int size, int window, int stride)
    {
        var starts = new List<int>();
        for (int s = 0; s + window <= size; s += stride) starts.Add(s);
        if (starts.Count == 0 || starts[^1] + window < size) starts.Add(Math.Max(0, size - window));
        return starts;
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        Validate(context.Model);
        int gh = context.GridHeight, gw = context.GridWidth, patch = context.Model.Config.Vision.PatchSize, answer = context.AnswerLength;
        var x = context.Prepared.Pixels;
        int h = x.Dim(2), w = x.Dim(3);
        var fill = PixelBaselines.Fill(context.Model.ImageProcessor?.Config, _fill);
        var windows = (from r in Starts(gh, _window, _stride) from c in Starts(gw, _window, _stride) select (r, c)).ToArray();
        var original = AnswerScorer.Original(context);
        var scores = AnswerScorer.LogProbabilities(context, windows.Length, _batchSize, (k, image) =>
        {
            x.Data.Slice(0, image.Length).CopyTo(image);
            var (r0, c0) = windows[k];
            for (int ch = 0; ch < 3; ch++)
            for (int y = r0 * patch; y < (r0 + _window) * patch; y++)
                image.Slice(ch * h * w + y * w + c0 * patch, _window * patch).Fill(fill[ch]);
        });

        var sums = new float[answer + 1][];
        for (int t = 0; t <= answer; t++) sums[t] = new float[gh * gw];
        var covered = new int[gh * gw];
        for (int k = 0; k < windows.Length; k++)
        {
            var (r0, c0) = windows[k];
            float total = 0;
            for (int t = 0; t < answer; t++) total += original[t] - scores[k][t];
            for (int r = r0; r < r0 + _window; r++)
            for (int c = c0; c < c0 + _window; c++)
            {
                int p = r * gw + c;
                covered[p]++;
                for (int t = 0; t < answer; t++) sums[t][p] += original[t] - scores[k][t];
                sums[answer][p] += total;
            }
        }
        foreach (var map in sums)
            for (int p = 0; p < map.Length; p++) map[p] /= Math.Max(1, covered[p]);
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < answer; t++) tokens.Add(new TokenExplanation(t, context.AnswerIds[t], context.Map(sums[t]), null));
        return context.Finish(Name, tokens, answer == 1 ? tokens[0].Map : context.Map(sums[answer]));
    }
}
