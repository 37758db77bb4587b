using System.Diagnostics;
using System.Text.Json.Nodes;
using LvlmEval.Explorer.Serving;

namespace LvlmEval.Explorer.Inspection;

/// <summary>
/// Raw language-model attention read from a session's cached trace (LVLM-Interpret's views, Stan et al. 2024): from
/// the query that predicts an answer token (or the mean over the whole answer) to the image patches and the text; the
/// layers × heads summary of attention mass on the image; and the reverse view, from chosen patches to the tokens that
/// attend to them. No view runs the model.
/// </summary>
public static class AttentionViews
{
    /// <summary>Head index meaning "mean over heads".</summary>
    public const int MeanOverHeads = -1;

    /// <summary>Token index meaning "the whole answer" (mean over its tokens' query rows).</summary>
    public const int WholeAnswer = -1;

    /// <summary>
    /// Attention of <paramref name="layer"/> and <paramref name="head"/> (or the mean over heads) from the query predicting
    /// answer token <paramref name="token"/> (or the mean over the answer): the image part on the patch grid, and every
    /// text position before the query with its value.
    /// </summary>
    public static JsonObject Forward(AnswerSession session, int layer, int head, int token)
    {
        var clock = Stopwatch.StartNew();
        CheckLayerHead(session, layer, head);
        var rows = QueryRows(session, token);
        int sequence = session.Trace.TokenIds.Length, heads = Heads(session);
        var attention = session.Trace.LanguageAttentions[layer].Detach().Data;
        var mean = new float[sequence];
        int first = head == MeanOverHeads ? 0 : head, last = head == MeanOverHeads ? heads - 1 : head;
        float weight = 1f / ((last - first + 1) * rows.Length);
        foreach (int q in rows)
            for (int h = first; h <= last; h++)
            {
                var row = attention.Slice((h * sequence + q) * sequence, q + 1);
                for (int k = 0; k < row.Length; k++) mean[k] += row[k] * weight;
            }
        var result = new JsonObject
        {
            ["layer"] = layer, ["head"] = head, ["token"] = token,
            ["image_map"] = PatchGrid(session, mean),
            ["image_mass"] = ImageMass(session, mean),
            ["text"] = TextEntries(session, mean, rows.Max()),
        };
        result["server_ms"] = clock.Elapsed.TotalMilliseconds;
        return result;
    }

    /// <summary>
    /// For every layer and head, the attention mass on image tokens from the query predicting <paramref name="token"/>
    /// (or the mean over the answer): LVLM-Interpret's per-head plot, as a [layers][heads] grid.
    /// </summary>
    public static JsonObject HeadSummary(AnswerSession session, int token)
    {
        var clock = Stopwatch.StartNew();
        var rows = QueryRows(session, token);
        int layers = session.Trace.LanguageAttentions.Count, heads = Heads(session), sequence = session.Trace.TokenIds.Length;
        int start = session.Prepared.ImageTokenStart, count = session.Prepared.ImageTokenCount;
        var grid = new JsonArray();
        for (int l = 0; l < layers; l++)
        {
            var attention = session.Trace.LanguageAttentions[l].Detach().Data;
            var cells = new JsonArray();
            for (int h = 0; h < heads; h++)
            {
                double mass = 0;
                foreach (int q in rows)
                {
                    var row = attention.Slice((h * sequence + q) * sequence + start, count);
                    foreach (float v in row) mass += v;
                }
                cells.Add(mass / rows.Length);
            }
            grid.Add(cells);
        }
        return new JsonObject { ["token"] = token, ["layers"] = layers, ["heads"] = heads, ["image_mass"] = grid, ["server_ms"] = clock.Elapsed.TotalMilliseconds };
    }

    /// <summary>
    /// The reverse view: for the patches <paramref name="patches"/> (row-major indices on the patch grid), how much
    /// attention each later text query gives them in total: the prompt tokens after the image at their own positions,
    /// and each answer token at the query that predicts it (as in <see cref="Forward"/>).
    /// </summary>
    public static JsonObject Reverse(AnswerSession session, int layer, int head, IReadOnlyList<int> patches)
    {
        var clock = Stopwatch.StartNew();
        CheckLayerHead(session, layer, head);
        var prepared = session.Prepared;
        int patchCount = prepared.GridHeight * prepared.GridWidth;
        if (patches.Count == 0) throw new ExplorerRequestException("'patches' is empty: choose at least one image patch");
        foreach (int p in patches)
            if (p < 0 || p >= patchCount) throw new ExplorerRequestException($"patch {p} is outside the {prepared.GridHeight}×{prepared.GridWidth} grid (0 … {patchCount - 1})");
        int sequence = session.Trace.TokenIds.Length, heads = Heads(session);
        var attention = session.Trace.LanguageAttentions[layer].Detach();
        int first = head == MeanOverHeads ? 0 : head, last = head == MeanOverHeads ? heads - 1 : head;
        double Mass(int q)
        {
            var data = attention.Data;
            double sum = 0;
            for (int h = first; h <= last; h++)
                foreach (int p in patches)
                    if (prepared.PatchPosition(p) is int position and >= 0) sum += data[(h * sequence + q) * sequence + position]; // a patch without a token has no attention
            return sum / (last - first + 1);
        }
        var entries = new JsonArray();
        int afterImage = prepared.ImageTokenStart + prepared.ImageTokenCount;
        for (int q = afterImage; q < session.AnswerStart; q++)
            entries.Add(new JsonObject { ["position"] = q, ["token"] = session.PositionTokens[q], ["kind"] = "prompt", ["value"] = Mass(q) });
        for (int t = 0; t < session.AnswerIds.Length; t++)
            entries.Add(new JsonObject
            {
                ["position"] = session.AnswerStart + t, ["answer_index"] = t, ["token"] = session.PositionTokens[session.AnswerStart + t], ["kind"] = "answer",
                ["value"] = Mass(session.PredictingPosition(t)),
            });
        return new JsonObject { ["layer"] = layer, ["head"] = head, ["patches"] = new JsonArray(patches.Select(p => (JsonNode)p).ToArray()), ["tokens"] = entries, ["server_ms"] = clock.Elapsed.TotalMilliseconds };
    }

    /// <summary>The query rows of answer token <paramref name="token"/>, or of every answer token for <see cref="WholeAnswer"/>.</summary>
    public static int[] QueryRows(AnswerSession session, int token)
    {
        int answer = session.AnswerIds.Length;
        if (answer == 0) throw new ExplorerRequestException("the answer is empty: there is no answer token to inspect");
        if (token == WholeAnswer) return Enumerable.Range(0, answer).Select(session.PredictingPosition).ToArray();
        if (token < 0 || token >= answer) throw new ExplorerRequestException($"'token' must be -1 (whole answer) or 0 … {answer - 1}; got {token}");
        return [session.PredictingPosition(token)];
    }

    private static int Heads(AnswerSession session) => session.Trace.LanguageAttentions[0].Dim(1);

    private static void CheckLayerHead(AnswerSession session, int layer, int head)
    {
        int layers = session.Trace.LanguageAttentions.Count, heads = Heads(session);
        if (layer < 0 || layer >= layers) throw new ExplorerRequestException($"'layer' must be 0 … {layers - 1}; got {layer}");
        if (head != MeanOverHeads && (head < 0 || head >= heads)) throw new ExplorerRequestException($"'head' must be -1 (mean over heads) or 0 … {heads - 1}; got {head}");
    }

    private static JsonArray PatchGrid(AnswerSession session, float[] row)
    {
        var p = session.Prepared;
        var grid = new JsonArray();
        for (int r = 0; r < p.GridHeight; r++)
        {
            var cells = new JsonArray();
            for (int c = 0; c < p.GridWidth; c++)
                cells.Add(p.PatchPosition(r * p.GridWidth + c) is int position and >= 0 ? JsonValue.Create(row[position]) : null); // null: no image token holds the patch
            grid.Add(cells);
        }
        return grid;
    }

    private static double ImageMass(AnswerSession session, float[] row)
    {
        double sum = 0;
        for (int k = 0; k < session.Prepared.ImageTokenCount; k++) sum += row[session.Prepared.ImageTokenStart + k];
        return sum;
    }

    private static JsonArray TextEntries(AnswerSession session, float[] row, int lastPosition)
    {
        var entries = new JsonArray();
        for (int k = 0; k <= lastPosition; k++)
        {
            if (session.IsImage(k)) continue;
            entries.Add(new JsonObject
            {
                ["position"] = k, ["token"] = session.PositionTokens[k], ["kind"] = k < session.AnswerStart ? "prompt" : "answer", ["value"] = row[k],
            });
        }
        return entries;
    }
}
