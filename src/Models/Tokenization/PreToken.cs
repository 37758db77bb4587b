namespace LvlmEval.Models.Tokenization;

/// <summary>
/// A piece of normalized text on its way to the model. <see cref="AtInputStart"/> records whether the piece
/// begins at offset 0 of the original input (Metaspace's "first" prepend scheme depends on it).
/// </summary>
public readonly record struct PreToken(string Text, bool AtInputStart);

/// <summary>Helpers shared by pre-tokenizers that split every piece with a matcher.</summary>
internal static class PreTokenSplitting
{
    [ThreadStatic] private static List<(int Start, int End)>? t_ranges;
    [ThreadStatic] private static List<PreToken>? t_result;

    /// <summary>Replaces each piece by its non-empty sub-pieces; <paramref name="prepare"/> may rewrite a piece first.</summary>
    public static void SplitEach(List<PreToken> pieces, SplitMatcher matcher, SplitBehavior behavior, bool invert,
        Func<PreToken, PreToken>? prepare = null)
    {
        var ranges = t_ranges ??= new List<(int, int)>();
        var result = t_result ??= new List<PreToken>();
        result.Clear();
        foreach (var original in pieces)
        {
            var piece = prepare is null ? original : prepare(original);
            ranges.Clear();
            TextSplitter.Split(piece.Text, matcher, behavior, invert, ranges);
            foreach (var (start, end) in ranges)
            {
                var text = start == 0 && end == piece.Text.Length ? piece.Text : piece.Text[start..end];
                result.Add(new PreToken(text, piece.AtInputStart && start == 0));
            }
        }
        pieces.Clear();
        pieces.AddRange(result);
    }
}
