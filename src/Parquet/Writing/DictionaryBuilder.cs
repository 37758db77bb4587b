using System.Runtime.InteropServices;

namespace LvlmEval.Parquet.Writing;

/// <summary>Builds a column chunk's dictionary (first-seen order) and the index of every value in it.</summary>
internal static class DictionaryBuilder
{
    /// <summary>
    /// False when a dictionary would not pay off: more distinct values than half the values (judged early from the
    /// first values, so unique columns do not pay for a full hash pass), or a dictionary larger than
    /// <paramref name="maxDictionaryBytes"/> (counted as UTF-16 chars, a close enough proxy).
    /// </summary>
    public static bool TryBuild<T>(ReadOnlySpan<T> values, int maxDictionaryBytes, out T[] dictionary, out int[] indices) where T : notnull
    {
        var lookup = new Dictionary<T, int>();
        var entries = new List<T>();
        indices = new int[values.Length];
        long bytes = 0;
        int maxDistinct = Math.Max(1, values.Length / 2);
        const int Probe = 4096;
        for (int i = 0; i < values.Length; i++)
        {
            var v = values[i];
            ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, v, out bool exists);
            if (!exists)
            {
                slot = entries.Count;
                entries.Add(v);
                bytes += v is string s ? 4 + s.Length : 8;
                if (entries.Count > maxDistinct || bytes > maxDictionaryBytes)
                {
                    dictionary = [];
                    indices = [];
                    return false;
                }
            }
            indices[i] = slot;
            if (i == Probe && entries.Count > Probe * 3 / 4)
            {
                dictionary = [];
                indices = [];
                return false;
            }
        }
        dictionary = entries.ToArray();
        return true;
    }

    public static int MaxIndex(int[] indices)
    {
        int max = 0;
        foreach (int i in indices) if (i > max) max = i;
        return max;
    }
}
