using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Explainers.Output;
using LvlmEval.Explorer.Serving;

namespace LvlmEval.Explorer.Inspection;

/// <summary>
/// Runs a registered explainer on a session's answer (on the model's queue), sharing the session's traced forwards, and
/// keeps the result: the same entry explanation.json holds for that explainer, plus each token's relevance of the text
/// positions when the method scores them.
/// </summary>
public static class SessionExplainer
{
    /// <summary>The explainer's entry for <paramref name="session"/>, computed once.</summary>
    public static async Task<JsonObject> Explain(AnswerSession session, string name, string? ticket)
    {
        if (!ExplainerRegistry.All.Contains(name)) throw ExplainerRegistry.All.Unknown(name);
        if (session.AnswerIds.Length == 0) throw new ExplorerRequestException("the answer is empty: there is nothing to explain");
        if (session.Explanations.TryGetValue(name, out var kept)) return kept;
        var entry = await session.Served.Queue.Run(ticket, () =>
        {
            var explainer = ExplainerRegistry.All.Create(name);
            var model = session.Served.Model;
            explainer.Validate(model);
            var explanation = explainer.Explain(new ExplainRequest
            {
                Model = model, Prepared = session.Prepared, AnswerIds = session.AnswerIds, Seed = session.Seed, Traces = session.Traces,
                Subject = session.Subject,
            });
            var json = ExplanationDocument.ExplainerEntry(model, session.Image, explanation, heatmapFolder: null);
            var tokens = json["tokens"]!.AsArray();
            foreach (var t in explanation.Tokens)
                if (t.PositionRelevance is { } relevance)
                    tokens[t.Index]!["text_relevance"] = TextRelevance(session, relevance);
            return json;
        }).ConfigureAwait(false);
        return session.Explanations.GetOrAdd(name, entry);
    }

    private static JsonArray TextRelevance(AnswerSession session, float[] relevance)
    {
        var entries = new JsonArray();
        for (int k = 0; k < relevance.Length; k++)
        {
            if (session.IsImage(k)) continue;
            entries.Add(new JsonObject
            {
                ["position"] = k, ["token"] = session.PositionTokens[k], ["kind"] = k < session.AnswerStart ? "prompt" : "answer", ["value"] = relevance[k],
            });
        }
        return entries;
    }
}
