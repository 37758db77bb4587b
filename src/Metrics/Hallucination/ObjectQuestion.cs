using System.Text.RegularExpressions;
using LvlmEval.Datasets;

namespace LvlmEval.Metrics.Hallucination;

/// <summary>
/// What an object-presence sample asks: the object's name and whether it is in the image. The name comes from the
/// loader's metadata (<c>object</c> for Shapes' <c>prompt: pope</c>, <c>class</c> for VOC's) or, for POPE files, from
/// the question "Is there a(n) OBJECT in the image?"; the label is the single yes/no reference.
/// </summary>
public static partial class ObjectQuestion
{
    /// <summary>The object the sample asks about, or null when it is not an object-presence question.</summary>
    public static string? ObjectOf(Sample sample)
    {
        if (sample.Metadata.TryGetValue("object", out var o) && o.Length > 0) return o;
        if (sample.Metadata.TryGetValue("class", out var c) && c.Length > 0 && IsYesNo(sample)) return c;
        var match = PresenceQuestion().Match(sample.Question.Trim());
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Whether the sample's single reference is "yes" (object present); null when it is not a yes/no label.</summary>
    public static bool? Present(Sample sample) =>
        sample.Answers.Count == 1 && sample.Answers[0] is "yes" or "no" ? sample.Answers[0] == "yes" : null;

    /// <summary>The image a sample's question is about, for resampling images: the id up to its last '/' (Shapes "split-00012/…", VOC "2008_000123/…"), else the whole id.</summary>
    public static string ImageOf(string sampleId)
    {
        int slash = sampleId.LastIndexOf('/');
        return slash > 0 ? sampleId[..slash] : sampleId;
    }

    private static bool IsYesNo(Sample sample) => Present(sample) is not null;

    [GeneratedRegex(@"^Is there an? (.+?) in the (?:image|picture)\??$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PresenceQuestion();
}
