namespace LvlmEval.Probing.Probes;

/// <summary>
/// k-fold cross-validation grouped by image: images are shuffled with a seed and dealt to folds, and every item of an
/// image lands in the image's fold, so a probe never sees a test image (or another question about it) in training.
/// </summary>
public static class CrossValidation
{
    /// <summary>The fold (0..k−1) of each item.</summary>
    public static int[] GroupFolds(IReadOnlyList<string> groups, IReadOnlyList<int> items, int k, int seed)
    {
        var distinct = items.Select(i => groups[i]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < k) throw new ArgumentException($"{k}-fold cross-validation needs at least {k} images, got {distinct.Length}.");
        new Random(seed).Shuffle(distinct);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < distinct.Length; i++) foldOf[distinct[i]] = i % k;
        return items.Select(i => foldOf[groups[i]]).ToArray();
    }
}
