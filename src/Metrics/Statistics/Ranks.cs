namespace LvlmEval.Metrics.Statistics;

/// <summary>Ranking with ties sharing their average rank (1-based).</summary>
public static class Ranks
{
    /// <summary>Average ranks of <paramref name="values"/>; <paramref name="tieGroups"/> receives the size of each tie group larger than one.</summary>
    public static double[] Average(ReadOnlySpan<double> values, List<int>? tieGroups = null)
    {
        int n = values.Length;
        var order = new int[n];
        var keys = values.ToArray();
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int end = i;
            while (end + 1 < n && keys[end + 1] == keys[i]) end++;
            double rank = (i + end) / 2.0 + 1;
            for (int j = i; j <= end; j++) ranks[order[j]] = rank;
            if (end > i) tieGroups?.Add(end - i + 1);
            i = end + 1;
        }
        return ranks;
    }
}
