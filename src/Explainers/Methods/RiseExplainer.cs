using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// RISE (Petsiuk, Das &amp; Saenko 2018): N random masks (a <c>cells</c> × <c>cells</c> grid kept with probability p,
/// bilinearly resized to (cells + 1)·⌈size/cells⌉ pixels as in the paper's code and cropped at a random shift; <see cref="Upsample"/>), the image blended with a
/// constant fill outside the mask; saliency = Σ_k f(I ⊙ M_k)·M_k / (N·p) with f = p(answer token) (for the sequence map,
/// p of the whole answer), averaged over each patch. Seeded by the request; masked images run in batches.
/// </summary>
public sealed class RiseExplainer : IExplainer
{
    private readonly int _masks, _cells, _batchSize;
    private readonly double _keep;
    private readonly string _fill;

    /// <summary>
    /// Parameters: <c>masks</c> (N, default 256), <c>cells</c> (default 7), <c>keep</c> (p, default 0.5),
    /// <c>fill</c> (mean, black; default mean), <c>batch_size</c> (default 8).
    /// </summary>
    public RiseExplainer(ParameterSet parameters)
    {
        _masks = parameters.Int("masks", 256, 1, 100_000);
        _cells = parameters.Int("cells", 7, 1, 1000);
        _keep = parameters.Double("keep", 0.5, 0.01, 1);
        _fill = parameters.Choice("fill", "mean", "mean", "black");
        _batchSize = parameters.Int("batch_size", 8, 1, 1024);
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("rise", "answer probability under random masks, averaged per patch", "Petsiuk, Das & Saenko 2018", "1 forward per mask", Granularity.Token | Granularity.Sequence),
        p => new RiseExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <summary>The mask batch size used (for comparing batched and one-by-one runs).</summary>
    public int BatchSize => _batchSize;

    /// <summary>Mask k of a seeded sequence, [size × size] in [0, 1]: a cells × cells grid kept with probability <paramref name="keep"/>, laid out by <see cref="Upsample"/>.</summary>
    internal static float[] Mask(Random rng, int size, int cells, double keep)
    {
        var grid = new float[cells * cells];
        for (int i = 0; i < grid.Length; i++) grid[i] = rng.NextDouble() < keep ? 1f : 0f;
        int cell = CellSize(size, cells);
        int shiftY = rng.Next(cell), shiftX = rng.Next(cell);
        return Upsample(grid, cells, size, shiftY, shiftX);
    }

    /// <summary>Petsiuk's cell size c = ⌈size / cells⌉.</summary>
    internal static int CellSize(int size, int cells) => (size + cells - 1) / cells;

    /// <summary>
    /// The mask layout of Petsiuk et al.'s reference (generate_masks): the cells × cells grid is resized to (cells + 1)·c
    /// pixels per side (c = ⌈size/cells⌉) with scikit-image's order-1 resize (half-pixel centres, input coordinate
    /// (o + ½)·cells / ((cells + 1)·c) − ½, mode 'reflect' = mirrored about the edge cells' centres) and cropped to
    /// size × size at (<paramref name="shiftY"/>, <paramref name="shiftX"/>), each in [0, c). Every cell, the edge
    /// ones included, spans (cells + 1)·c / cells pixels, so the crop's shift moves the grid without widening edge cells.
    /// </summary>
    internal static float[] Upsample(float[] grid, int cells, int size, int shiftY, int shiftX)
    {
        int up = (cells + 1) * CellSize(size, cells);
        double scale = (double)cells / up;
        var mask = new float[size * size];
        var x0 = new int[size];
        var x1 = new int[size];
        var fx = new float[size];
        for (int x = 0; x < size; x++) (x0[x], x1[x], fx[x]) = Tap((x + shiftX + 0.5) * scale - 0.5, cells);
        for (int y = 0; y < size; y++)
        {
            var (y0, y1, fy) = Tap((y + shiftY + 0.5) * scale - 0.5, cells);
            for (int x = 0; x < size; x++)
            {
                float top = grid[y0 * cells + x0[x]] * (1 - fx[x]) + grid[y0 * cells + x1[x]] * fx[x];
                float bottom = grid[y1 * cells + x0[x]] * (1 - fx[x]) + grid[y1 * cells + x1[x]] * fx[x];
                mask[y * size + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return mask;
    }

    /// <summary>The two grid cells and the weight of the second for input coordinate <paramref name="c"/>, mirrored at the edges (SciPy's 'mirror').</summary>
    private static (int Low, int High, float Weight) Tap(double c, int cells)
    {
        if (cells == 1) return (0, 0, 0);
        int period = 2 * (cells - 1);
        c = Math.Abs(c) % period;
        if (c > cells - 1) c = period - c;
        int low = Math.Min((int)c, cells - 2);
        return (low, low + 1, (float)(c - low));
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var x = context.Prepared.Pixels;
        int h = x.Dim(2), w = x.Dim(3), answer = context.AnswerLength, size = Math.Max(h, w);
        var fill = PixelBaselines.Fill(context.Model.ImageProcessor?.Config, _fill);
        var rng = new Random(request.Seed);
        var saliency = new float[answer + 1][];
        for (int t = 0; t <= answer; t++) saliency[t] = new float[h * w];
        for (int start = 0; start < _masks; start += _batchSize)
        {
            int n = Math.Min(_batchSize, _masks - start);
            var masks = new float[n][];
            for (int b = 0; b < n; b++) masks[b] = Crop(Mask(rng, size, _cells, _keep), size, h, w);
            var scores = AnswerScorer.LogProbabilities(context, n, n, (k, image) =>
            {
                var source = x.Data;
                var m = masks[k];
                for (int c = 0; c < 3; c++)
                for (int i = 0; i < h * w; i++)
                    image[c * h * w + i] = source[c * h * w + i] * m[i] + fill[c] * (1 - m[i]);
            });
            for (int b = 0; b < n; b++)
            {
                float total = 0;
                for (int t = 0; t < answer; t++)
                {
                    total += scores[b][t];
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(masks[b], MathF.Exp(scores[b][t]), saliency[t], saliency[t]);
                }
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(masks[b], MathF.Exp(total), saliency[answer], saliency[answer]);
            }
        }
        int patch = context.Model.Config.Vision.PatchSize;
        var maps = new PatchMap[answer + 1];
        for (int t = 0; t <= answer; t++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(saliency[t], (float)(1 / (_masks * _keep)), saliency[t]);
            maps[t] = context.Map(MapMath.PoolToGrid(saliency[t], w, context.GridHeight, context.GridWidth, patch, mean: true));
        }
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < answer; t++) tokens.Add(new TokenExplanation(t, context.AnswerIds[t], maps[t], null));
        return context.Finish(Name, tokens, answer == 1 ? maps[0] : maps[answer]);
    }

    private static float[] Crop(float[] square, int size, int h, int w)
    {
        if (h == size && w == size) return square;
        var result = new float[h * w];
        for (int y = 0; y < h; y++) square.AsSpan(y * size, w).CopyTo(result.AsSpan(y * w, w));
        return result;
    }
}
