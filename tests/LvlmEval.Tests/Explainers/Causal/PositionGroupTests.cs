using System.Text.RegularExpressions;
using LvlmEval.Explainers.Core;
using LvlmEval.Imaging;
using LvlmEval.Tests.Training;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>
/// Causal tracing's position groups on the shipped Shapes model (a word-level tokenizer): the words after the image are
/// the prompt text's words and punctuation marks (a regex over the rendered prompt), and the cells partition the patches.
/// </summary>
public sealed partial class PositionGroupTests
{
    [Test]
    public void WordsAreThePromptWordsAfterTheImageAndCellsPartitionThePatches()
    {
        var model = ShippedModels.Load(ShippedModels.Standard);
        var prepared = model.Prepare(new RgbImage(64, 64, new byte[64 * 64 * 3]), "What color is the star?");
        var words = PositionGroups.Words(model, prepared);
        string after = prepared.PromptText[(prepared.PromptText.IndexOf("<image>", StringComparison.Ordinal) + "<image>".Length)..];
        Assert.That(words.Select(w => w.Text), Is.EqualTo(WordOrMark().Matches(after).Select(m => m.Value)));
        Assert.That(words.SelectMany(w => w.Positions), Is.EqualTo(Enumerable.Range(prepared.ImageTokenStart + prepared.ImageTokenCount,
            prepared.TokenIds.Length - prepared.ImageTokenStart - prepared.ImageTokenCount)), "every prompt position after the image, once, in order");

        var cells = PositionGroups.Cells(prepared, 3);
        Assert.That(cells, Has.Count.EqualTo(4), "a 4×4 grid in cells of 3: 2×2 cells, the last row and column narrower");
        Assert.That(cells.SelectMany(c => c.Positions).Order(), Is.EqualTo(Enumerable.Range(prepared.PatchTokenStart, 16)));
    }

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex WordOrMark();
}
