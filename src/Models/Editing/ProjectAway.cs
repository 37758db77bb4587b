using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Editing;

/// <summary>
/// Builds ProjectAway edits (Jiang et al. 2024, §5; see <see cref="ProjectAwayHook"/>): an object's text direction is the
/// hidden state, at the text layer, of the last token of the object's name run through the language model alone (no
/// image, no chat template; tokenised as transformers' <c>tokenizer(word)</c> would, with the tokenizer's own special
/// tokens such as Llama's BOS), as the authors' <c>get_hidden_text_embedding</c>.
/// </summary>
public static class ProjectAway
{
    /// <summary>
    /// The text direction of <paramref name="phrase"/> at hidden-state index <paramref name="textLayer"/>. Index = depth
    /// is the final norm's output, as transformers' last <c>hidden_states</c> entry.
    /// </summary>
    public static float[] TextDirection(LlavaModel model, string phrase, int textLayer)
    {
        var tokenizer = model.Tokenizer ?? throw new FileNotFoundException($"{model.Folder}: tokenizer.json is missing; ProjectAway needs it to read '{phrase}'.");
        if (string.IsNullOrWhiteSpace(phrase)) throw new ArgumentException("ProjectAway needs a non-empty object name.", nameof(phrase));
        var ids = tokenizer.Encode(phrase);
        if (ids.Length == 0) throw new ArgumentException($"'{phrase}' tokenises to nothing.", nameof(phrase));
        return TextDirection(model, ids, textLayer);
    }

    /// <summary>The text direction of a name already tokenised to <paramref name="ids"/> (special tokens included).</summary>
    public static float[] TextDirection(LlavaModel model, int[] ids, int textLayer)
    {
        if (ids.Length == 0) throw new ArgumentException("A text direction needs at least one token.", nameof(ids));
        int depth = model.Language.NumLayers;
        if (textLayer < 0 || textLayer > depth) throw new ArgumentOutOfRangeException(nameof(textLayer), textLayer, $"text_layer must be in 0 … {depth}.");
        using var modelClock = ModelClock.Measure();
        using var noGrad = Autograd.Disable();
        var recorder = new ForwardRecorder(new TraceOptions { LanguageHiddenStates = true });
        var positions = Enumerable.Range(0, ids.Length).ToArray();
        model.Language.Forward(model.Language.Embed(ids, 1), positions, null, recorder);
        var state = recorder.LanguageHiddenStates[textLayer];
        var last = Ops.Narrow(state, 1, ids.Length - 1, 1);
        if (textLayer == depth) last = model.Language.FinalNorm.Forward(last);
        return last.ToArray();
    }

    /// <summary>
    /// The hook removing every phrase of <paramref name="objects"/> from the image tokens of <paramref name="prepared"/>
    /// with <paramref name="settings"/>' layers and weight (objects in <paramref name="settings"/>, when listed, take precedence).
    /// </summary>
    public static ProjectAwayHook Hook(LlavaModel model, PreparedInput prepared, IReadOnlyList<string> objects, ProjectAwaySettings settings)
    {
        var names = settings.Objects ?? objects;
        if (names.Count == 0) throw new ArgumentException("ProjectAway has no object to remove (the question names none and the edit lists none).", nameof(objects));
        var (textLayer, imageLayer) = ProjectAwayLayers.Resolve(settings, model.Language.NumLayers);
        var directions = names.Select(o => TextDirection(model, o, textLayer)).ToList();
        // Decoder block l's output is hidden-state index l + 1.
        return new ProjectAwayHook(imageLayer + 1, directions, prepared.ImageTokenPositions, settings.Weight);
    }
}
