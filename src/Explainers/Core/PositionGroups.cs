using LvlmEval.Models.Llava;

namespace LvlmEval.Explainers.Core;

/// <summary>A set of sequence positions traced or corrupted together: an image-grid cell or a word of the text after the image.</summary>
/// <param name="Label">Name used in result rows: <c>cell_r{row}_c{col}</c> or <c>word_{i}_{text}</c> (i counted from the image on; <c>word_{i}</c> for blank words).</param>
/// <param name="IsImage">Whether the positions are image patches.</param>
/// <param name="Positions">Absolute sequence positions, ascending.</param>
/// <param name="Text">The word's text (empty for cells).</param>
public sealed record PositionGroup(string Label, bool IsImage, int[] Positions, string Text);

/// <summary>
/// Position groups of a prompt: the patch grid cut into cells of <c>cell × cell</c> patches (row-major; the last row and
/// column of cells may be smaller), then the words of the prompt text after the image (the question and the template's
/// closing words, through the last prompt position). A word starts at a token whose text starts with whitespace or
/// follows one that ends with whitespace, where the decoder puts a separator between two tokens (word-level
/// vocabularies), and at every token without letters or digits; without a tokenizer every token is its own word. A patch
/// no image token holds (SigLIP's first under "default" selection) belongs to no cell.
/// </summary>
public static class PositionGroups
{
    /// <summary>The image cells.</summary>
    public static List<PositionGroup> Cells(PreparedInput prepared, int cell)
    {
        if (cell < 1) throw new ArgumentOutOfRangeException(nameof(cell), cell, "cell must be ≥ 1.");
        var groups = new List<PositionGroup>();
        int rows = (prepared.GridHeight + cell - 1) / cell, cols = (prepared.GridWidth + cell - 1) / cell;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                var positions = new List<int>();
                for (int y = r * cell; y < Math.Min(prepared.GridHeight, (r + 1) * cell); y++)
                    for (int x = c * cell; x < Math.Min(prepared.GridWidth, (c + 1) * cell); x++)
                        if (prepared.PatchPosition(y * prepared.GridWidth + x) is int position and >= 0) positions.Add(position); // no token: SigLIP's first patch under "default"
                positions.Sort();
                if (positions.Count > 0) groups.Add(new PositionGroup($"cell_r{r}_c{c}", true, positions.ToArray(), ""));
            }
        return groups;
    }

    /// <summary>The words of the prompt text after the image, through position <c>prompt length − 1</c>.</summary>
    public static List<PositionGroup> Words(LlavaModel model, PreparedInput prepared)
    {
        int first = prepared.ImageTokenStart + prepared.ImageTokenCount, end = prepared.TokenIds.Length;
        var words = new List<List<int>>();
        var texts = new List<string>();
        string previous = "";
        var tokenizer = model.Tokenizer;
        for (int p = first; p < end; p++)
        {
            string text = tokenizer?.Decode([prepared.TokenIds[p]]) ?? "";
            // A decoder that joins two tokens with a separator (word-level vocabularies) marks a word boundary too.
            bool separated = tokenizer is not null && p > first && tokenizer.Decode([prepared.TokenIds[p - 1], prepared.TokenIds[p]]) != previous + text;
            bool starts = words.Count == 0 || tokenizer is null || separated || text.Length == 0 || char.IsWhiteSpace(text[0])
                || (previous.Length > 0 && char.IsWhiteSpace(previous[^1])) || !text.Any(char.IsLetterOrDigit)
                || !previous.Any(char.IsLetterOrDigit);
            if (starts) { words.Add([]); texts.Add(""); }
            words[^1].Add(p);
            texts[^1] += text;
            previous = text;
        }
        return words.Select((w, i) => new PositionGroup(WordLabel(i, texts[i].Trim()), false, w.ToArray(), texts[i].Trim())).ToList();
    }

    // word_{i}_{text}: the index keeps labels unique within a prompt, the text lets runs over many questions be read by word.
    private static string WordLabel(int index, string text)
    {
        var safe = new string(text.Select(c => char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c).ToArray());
        return safe.Length == 0 ? $"word_{index}" : $"word_{index}_{safe}";
    }
}
