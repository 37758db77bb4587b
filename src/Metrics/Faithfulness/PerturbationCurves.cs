using LvlmEval.Imaging.Perturbations;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// Deletion and insertion curves (Petsiuk et al. 2018, RISE): units (patches or pixels) ranked by relevance are removed
/// from the image (deletion: replaced by the substrate) or revealed on the substrate (insertion) in k steps; at step i
/// the first round(i·U/k) units are changed and the fraction recorded is that count / U. Both curves share the
/// original and the all-substrate image, so 2k unique images are scored, in batches.
/// </summary>
public sealed record PerturbationCurves(double[] Fractions, double[]? Deletion, double[]? Insertion)
{
    /// <summary>Trapezoid-rule area under the deletion curve (lower is better), or NaN without it.</summary>
    public double DeletionAuc => Deletion is null ? double.NaN : Auc.Trapezoid(Fractions, Deletion);

    /// <summary>Trapezoid-rule area under the insertion curve (higher is better), or NaN without it.</summary>
    public double InsertionAuc => Insertion is null ? double.NaN : Auc.Trapezoid(Fractions, Insertion);

    /// <summary>
    /// Computes the requested curves for <paramref name="pixels"/> [3, H, W]. <paramref name="unitOfPixel"/> maps each
    /// pixel (row-major) to its unit 0 … units − 1; <paramref name="order"/> lists the units most relevant first.
    /// </summary>
    public static PerturbationCurves Compute(Tensor pixels, Tensor substrate, int[] unitOfPixel, int[] order, int steps,
        IPerturbationScorer scorer, bool deletion = true, bool insertion = true)
    {
        int units = order.Length, plane = pixels.Dim(1) * pixels.Dim(2);
        if (steps < 1 || steps > units) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Steps must be in [1, {units}] (one unit per step at most).");
        if (unitOfPixel.Length != plane) throw new ArgumentException($"Unit map holds {unitOfPixel.Length} entries; the image has {plane} pixels.", nameof(unitOfPixel));
        if (!deletion && !insertion) throw new ArgumentException("Ask for deletion, insertion or both.");
        var rank = new int[units];
        Array.Fill(rank, -1);
        for (int i = 0; i < units; i++)
        {
            if ((uint)order[i] >= units || rank[order[i]] >= 0) throw new ArgumentException($"Order must be a permutation of 0…{units - 1}; entry {i} is {order[i]}.", nameof(order));
            rank[order[i]] = i;
        }
        var changed = new int[steps + 1];
        var fractions = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            changed[i] = (int)Math.Round((double)i * units / steps, MidpointRounding.AwayFromZero);
            fractions[i] = (double)changed[i] / units;
        }

        // Each image is described by how many of the ranked units keep the original (a prefix for insertion, a suffix for deletion).
        var images = new List<(bool KeepPrefix, int Count)>();
        var index = new Dictionary<(bool, int), int>();
        int Add(bool keepPrefix, int count)
        {
            // All-original and all-substrate images are shared by both curves.
            var key = count == 0 ? (true, 0) : count == units ? (true, units) : (keepPrefix, count);
            if (!index.TryGetValue(key, out int at)) { at = images.Count; images.Add(key); index[key] = at; }
            return at;
        }
        var deletionAt = deletion ? changed.Select(n => Add(false, units - n)).ToArray() : null;
        var insertionAt = insertion ? changed.Select(n => Add(true, n)).ToArray() : null;
        int original = Add(true, units);

        var scores = ScoreAll(pixels, substrate, unitOfPixel, rank, images, scorer);
        if (scorer.DividesByOriginal)
        {
            double reference = scores[original];
            for (int i = 0; i < scores.Length; i++) scores[i] /= reference;
        }
        return new PerturbationCurves(fractions, deletionAt?.Select(i => scores[i]).ToArray(), insertionAt?.Select(i => scores[i]).ToArray());
    }

    private static double[] ScoreAll(Tensor pixels, Tensor substrate, int[] unitOfPixel, int[] rank, List<(bool KeepPrefix, int Count)> images, IPerturbationScorer scorer)
    {
        int channels = pixels.Dim(0), height = pixels.Dim(1), width = pixels.Dim(2), plane = height * width, size = channels * plane;
        int units = rank.Length;
        var x = pixels.Data;
        var s = substrate.Data;
        var scores = new double[images.Count];
        var pixelRank = new int[plane];
        for (int p = 0; p < plane; p++) pixelRank[p] = rank[unitOfPixel[p]];
        for (int start = 0; start < images.Count; start += scorer.BatchSize)
        {
            int count = Math.Min(scorer.BatchSize, images.Count - start);
            var batch = new float[count * size];
            for (int b = 0; b < count; b++)
            {
                var (keepPrefix, keep) = images[start + b];
                var target = batch.AsSpan(b * size, size);
                // Start from the substrate and copy back the pixels that keep the original (one plane at a time).
                for (int c = 0; c < channels; c++)
                {
                    var from = x.Slice(c * plane, plane);
                    var to = target.Slice(c * plane, plane);
                    s.Slice(c * plane, plane).CopyTo(to);
                    for (int p = 0; p < plane; p++)
                    {
                        int r = pixelRank[p];
                        if (keepPrefix ? r < keep : r >= units - keep) to[p] = from[p];
                    }
                }
            }
            var result = scorer.Score(new Tensor(batch, count, channels, height, width));
            if (result.Length != count) throw new InvalidOperationException($"The scorer returned {result.Length} scores for {count} images.");
            result.CopyTo(scores, start);
        }
        return scores;
    }

    /// <summary>Maps every pixel of a height × width image to its patch on a gridHeight × gridWidth grid (as <see cref="PixelMask.FromPatchGrid"/> does).</summary>
    public static int[] PatchUnits(int gridHeight, int gridWidth, int height, int width)
    {
        var units = new int[height * width];
        for (int y = 0; y < height; y++)
        {
            int py = (int)((long)y * gridHeight / height);
            for (int xx = 0; xx < width; xx++) units[y * width + xx] = py * gridWidth + (int)((long)xx * gridWidth / width);
        }
        return units;
    }

    /// <summary>
    /// Unit indices sorted by decreasing relevance. Ties are broken by a random permutation drawn from
    /// <paramref name="random"/> (seeded per sample by the metric), so a constant or flat region of a map is perturbed in
    /// a random order rather than raster order (raster order would favour maps whose ties fall on the image's top rows);
    /// without <paramref name="random"/> ties keep index order.
    /// </summary>
    public static int[] RankDescending(ReadOnlySpan<float> relevance, Random? random = null)
    {
        var keys = new float[relevance.Length];
        var order = new int[relevance.Length];
        var tieBreak = new int[relevance.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            if (!float.IsFinite(relevance[i])) throw new ArgumentException($"Relevance {i} is {relevance[i]}; maps must be finite.", nameof(relevance));
            keys[i] = -relevance[i];
            order[i] = i;
            tieBreak[i] = i;
        }
        random?.Shuffle(tieBreak);
        // A total order: Array.Sort is introspective (not stable), so ties compare by their tie-break rank.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : tieBreak[a].CompareTo(tieBreak[b]));
        return order;
    }
}

/// <summary>Area under a curve.</summary>
public static class Auc
{
    /// <summary>Σ (x_{i+1} − x_i)(y_i + y_{i+1}) / 2 over increasing <paramref name="x"/>.</summary>
    public static double Trapezoid(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.Length < 2) throw new ArgumentException($"A curve needs at least two points with matching x and y (got {x.Length} and {y.Length}).");
        double area = 0;
        for (int i = 0; i + 1 < x.Length; i++) area += (x[i + 1] - x[i]) * (y[i] + y[i + 1]) / 2;
        return area;
    }
}
