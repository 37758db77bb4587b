namespace LvlmEval.Probing.Probes;

/// <summary>
/// The control task of Hewitt &amp; Liang (2019, "Designing and Interpreting Probes with Control Tasks"): every type gets
/// a label drawn at random from the task's empirical label distribution, and every item of that type carries it. A
/// probe can only solve it by memorising types, so its accuracy measures what the probe's capacity alone achieves;
/// selectivity = accuracy − control accuracy. In a VLM the analogue of the word type is the question text: a probe on
/// text positions can memorise it, a probe on image features cannot see it.
/// </summary>
public static class ControlTask
{
    /// <summary>Control labels for <paramref name="labels"/> given each item's <paramref name="types"/>, seeded.</summary>
    public static string[] Labels(IReadOnlyList<string> labels, IReadOnlyList<string> types, int seed)
    {
        var rng = new Random(seed);
        var byType = new Dictionary<string, string>(StringComparer.Ordinal);
        // Types in first-seen order, so the assignment depends on the data and the seed only.
        var result = new string[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            if (!byType.TryGetValue(types[i], out var label))
            {
                label = labels[rng.Next(labels.Count)];
                byType[types[i]] = label;
            }
            result[i] = label;
        }
        return result;
    }
}
