namespace LvlmEval.Datasets.Pope;

/// <summary>
/// POPE's negative sampling (Li et al. 2023, "Evaluating Object Hallucination in Large Vision-Language Models", §3.2):
/// for an image whose annotated objects are G, absent objects are drawn uniformly from the vocabulary outside G
/// (<c>random</c>), taken among the objects that appear in the most images of the dataset (<c>popular</c>), or among
/// the objects that co-occur most often with the objects of G (<c>adversarial</c>). Ties keep vocabulary order, so
/// the same data and seed give the same questions.
/// </summary>
public sealed class ObjectPresenceSampler
{
    private readonly IReadOnlyList<string> _vocabulary;
    private readonly Dictionary<string, int> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), int> _together = new();

    /// <summary>Counts object frequencies and pairwise co-occurrences over the images of the dataset.</summary>
    public ObjectPresenceSampler(IEnumerable<IReadOnlyCollection<string>> imageObjects, IReadOnlyList<string> vocabulary)
    {
        _vocabulary = vocabulary;
        foreach (var objects in imageObjects)
        {
            var distinct = objects.Distinct().ToList();
            foreach (var a in distinct)
            {
                _images[a] = _images.GetValueOrDefault(a) + 1;
                foreach (var b in distinct)
                    if (a != b) _together[(a, b)] = _together.GetValueOrDefault((a, b)) + 1;
            }
        }
    }

    /// <summary>Parses a strategy name.</summary>
    public static string Strategy(string name) => PopeLoader.Strategies.Contains(name) ? name
        : throw new ArgumentException($"POPE sampling is one of {string.Join(", ", PopeLoader.Strategies)}; got '{name}'.");

    /// <summary>Up to <paramref name="count"/> objects absent from <paramref name="present"/>, chosen by <paramref name="strategy"/>.</summary>
    public IReadOnlyList<string> Negatives(IReadOnlyCollection<string> present, int count, string strategy, Random rng)
    {
        var absent = _vocabulary.Where(o => !present.Contains(o)).ToList();
        switch (strategy)
        {
            case "random":
                for (int i = absent.Count - 1; i > 0; i--)
                {
                    int j = rng.Next(i + 1);
                    (absent[i], absent[j]) = (absent[j], absent[i]);
                }
                return absent.Take(count).ToList();
            case "popular":
                return absent.Select((o, i) => (o, i)).OrderByDescending(p => _images.GetValueOrDefault(p.o)).ThenBy(p => p.i).Select(p => p.o).Take(count).ToList();
            case "adversarial":
                return absent.Select((o, i) => (o, i))
                    .OrderByDescending(p => present.Sum(g => _together.GetValueOrDefault((g, p.o))))
                    .ThenByDescending(p => _images.GetValueOrDefault(p.o)).ThenBy(p => p.i)
                    .Select(p => p.o).Take(count).ToList();
            default:
                throw new ArgumentException($"POPE sampling is one of {string.Join(", ", PopeLoader.Strategies)}; got '{strategy}'.");
        }
    }

    /// <summary>POPE's question about one object.</summary>
    public static string Question(string objectName) => $"Is there a {objectName} in the image?";
}
