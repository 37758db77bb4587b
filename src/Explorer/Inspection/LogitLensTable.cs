using System.Diagnostics;
using System.Text.Json.Nodes;
using LvlmEval.Explainers.Output;
using LvlmEval.Explorer.Serving;
using LvlmEval.Tensors;

namespace LvlmEval.Explorer.Inspection;

/// <summary>
/// The logit lens (nostalgebraist 2020) at one position: the final norm and output head applied to the residual stream
/// after the embeddings and after every decoder layer, each row's top-k tokens with probabilities, and the rank and
/// probability of the token the model actually produced there. Reads the session's cached hidden states.
/// </summary>
public static class LogitLensTable
{
    /// <summary>The table at the query predicting answer token <paramref name="token"/>.</summary>
    public static JsonObject At(AnswerSession session, int token, int k)
    {
        var clock = Stopwatch.StartNew();
        if (token < 0) throw new ExplorerRequestException("the logit lens reads one position: choose an answer token (token ≥ 0)");
        int position = AttentionViews.QueryRows(session, token)[0];
        if (k < 1 || k > 50) throw new ExplorerRequestException($"'k' must be 1 … 50; got {k}");
        var model = session.Served.Model;
        var hidden = session.Trace.LanguageHiddenStates;
        int d = model.Config.Text.HiddenSize, target = session.AnswerIds[token];
        var rows = new JsonArray();
        using var off = Autograd.Disable();
        for (int layer = 0; layer < hidden.Count; layer++)
        {
            var state = hidden[layer].Detach().Data.Slice(position * d, d).ToArray();
            var logits = model.Language.Logits(new Tensor(state, 1, 1, d)).ToArray();
            float max = float.NegativeInfinity;
            foreach (float v in logits) max = Math.Max(max, v);
            double sum = 0;
            foreach (float v in logits) sum += Math.Exp(v - max);
            double Probability(int id) => Math.Exp(logits[id] - max) / sum;
            var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
            rows.Add(new JsonObject
            {
                ["layer"] = layer, ["label"] = layer == 0 ? "embeddings" : $"layer {layer - 1}",
                ["top"] = new JsonArray(order.Take(k).Select(id => (JsonNode)new JsonObject
                {
                    ["token_id"] = id, ["token"] = ExplanationDocument.TokenText(model, id), ["probability"] = Probability(id),
                }).ToArray()),
                ["answer_token_rank"] = Array.IndexOf(order, target) + 1,
                ["answer_token_probability"] = Probability(target),
            });
        }
        return new JsonObject
        {
            ["token"] = token, ["position"] = position, ["answer_token"] = ExplanationDocument.TokenText(model, target), ["rows"] = rows,
            ["server_ms"] = clock.Elapsed.TotalMilliseconds,
        };
    }
}
