using System.Text;
using System.Text.RegularExpressions;

namespace LvlmEval.Metrics.Task;

/// <summary>
/// The answer processing of the official VQA evaluation (GT-Vision-Lab/VQA, PythonEvaluationTools/vqaEvaluation/vqaEval.py),
/// rule for rule, including its quirks: punctuation next to a space (or anywhere once the text holds a digit-comma-digit)
/// is deleted, otherwise replaced by a space; a period not followed by a digit is deleted (at most 32 of them, because
/// the script passes <c>re.UNICODE</c> as the substitution count); number words up to ten become digits; articles go;
/// contraction spellings without apostrophes get them.
/// </summary>
public static partial class VqaAnswerNormalizer
{
    private static readonly char[] Punctuation = [';', '/', '[', ']', '"', '{', '}', '(', ')', '=', '+', '\\', '_', '-', '>', '<', '@', '`', ',', '?', '!'];

    private static readonly Dictionary<string, string> NumberWords = new(StringComparer.Ordinal)
    {
        ["none"] = "0", ["zero"] = "0", ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4",
        ["five"] = "5", ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9", ["ten"] = "10",
    };

    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "a", "an", "the" };

    // Matches the script's "(?!<=\d)(\.)(?!\d)": the first group is a (never matching) lookahead, so every period
    // not followed by a digit is removed.
    [GeneratedRegex(@"(?!<=\d)(\.)(?!\d)")]
    private static partial Regex PeriodStrip();

    [GeneratedRegex(@"(\d)(,)(\d)")]
    private static partial Regex CommaBetweenDigits();

    /// <summary>The script's <c>processPunctuation</c>.</summary>
    public static string ProcessPunctuation(string text)
    {
        bool digitComma = CommaBetweenDigits().IsMatch(text);
        var output = text;
        foreach (char p in Punctuation)
        {
            bool delete = digitComma || text.Contains(p + " ", StringComparison.Ordinal) || text.Contains(" " + p, StringComparison.Ordinal);
            output = output.Replace(p.ToString(), delete ? "" : " ", StringComparison.Ordinal);
        }
        return PeriodStrip().Replace(output, "", 32);
    }

    /// <summary>The script's <c>processDigitArticle</c>: lower case, split on white space, number words to digits, drop articles, add contraction apostrophes.</summary>
    public static string ProcessDigitArticle(string text)
    {
        var words = new List<string>();
        foreach (var raw in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = NumberWords.GetValueOrDefault(raw, raw);
            if (!Articles.Contains(word)) words.Add(word);
        }
        var builder = new StringBuilder();
        for (int i = 0; i < words.Count; i++)
        {
            if (i > 0) builder.Append(' ');
            builder.Append(VqaContractions.Map.GetValueOrDefault(words[i], words[i]));
        }
        return builder.ToString();
    }

    /// <summary>What the script does to a prediction: newlines and tabs to spaces, trim, punctuation, digits and articles.</summary>
    public static string NormalizePrediction(string prediction) =>
        ProcessDigitArticle(ProcessPunctuation(prediction.Replace('\n', ' ').Replace('\t', ' ').Trim()));
}
