using LvlmEval.Explorer.Inspection;
using LvlmEval.Explorer.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LvlmEval.Explorer.Api;

/// <summary>
/// Inspecting an answer session: its image, raw attention of (layer, head, token), the head summary, the reverse view,
/// the logit-lens table (all read from the cached trace) and explainers on demand (queued model calls, kept per session).
/// </summary>
public static class InspectEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app, ExplorerState state)
    {
        app.MapGet("/api/sessions/{id}/image", (string id) => AskEndpoints.Png(state.Session(id).Image));
        app.MapGet("/api/sessions/{id}/attention", (string id, string? layer, string? head, string? token) =>
        {
            var session = state.Session(id);
            return Json.Result(AttentionViews.Forward(session,
                FormFields.Int(layer, "layer", session.Trace.LanguageAttentions.Count - 1),
                FormFields.Int(head, "head", AttentionViews.MeanOverHeads), FormFields.Int(token, "token", AttentionViews.WholeAnswer)));
        });
        app.MapGet("/api/sessions/{id}/heads", (string id, string? token) =>
            Json.Result(AttentionViews.HeadSummary(state.Session(id), FormFields.Int(token, "token", AttentionViews.WholeAnswer))));
        app.MapGet("/api/sessions/{id}/reverse", (string id, string? layer, string? head, string? patches) =>
        {
            var session = state.Session(id);
            var chosen = (patches ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => FormFields.Int(p, "patches")).ToArray();
            return Json.Result(AttentionViews.Reverse(session, FormFields.Int(layer, "layer", session.Trace.LanguageAttentions.Count - 1),
                FormFields.Int(head, "head", AttentionViews.MeanOverHeads), chosen));
        });
        app.MapGet("/api/sessions/{id}/logit-lens", (string id, string? token, string? k) =>
            Json.Result(LogitLensTable.At(state.Session(id), FormFields.Int(token, "token", 0), FormFields.Int(k, "k", 5))));
        app.MapPost("/api/sessions/{id}/explain", async (string id, string? explainer, string? ticket) =>
        {
            if (string.IsNullOrEmpty(explainer)) throw new ExplorerRequestException("'explainer' is missing: name a registered explainer");
            var entry = await SessionExplainer.Explain(state.Session(id), explainer, ticket).ConfigureAwait(false);
            state.Sessions.Trim(); // the explainer may have kept another traced forward in the session
            return Json.Result(entry);
        });
    }
}
