using System.Diagnostics;
using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Explainers.Output;
using LvlmEval.Explorer.Inspection;
using LvlmEval.Explorer.Serving;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Metrics.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LvlmEval.Explorer.Api;

/// <summary>
/// Asking: the served models and explainers, the queue, <c>POST /api/ask</c> (answer and keep a session for inspection,
/// optionally after editing the image) and <c>POST /api/explain</c> (the explanation.json document of <c>lvlm-eval explain</c>).
/// </summary>
public static class AskEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app, ExplorerState state)
    {
        app.MapGet("/api/models", () => Json.Result(Models(state)));
        app.MapGet("/api/queue", (string? model, string? ticket) =>
        {
            var served = FormFields.Model(state.Models, model);
            return Json.Result(new JsonObject
            {
                ["model"] = served.Name, ["length"] = served.Queue.Length,
                ["position"] = string.IsNullOrEmpty(ticket) ? null : served.Queue.PositionOf(ticket),
            });
        });
        app.MapPost("/api/ask", async (HttpRequest request) => Json.Result(await Ask(state, request).ConfigureAwait(false)));
        app.MapPost("/api/explain", async (HttpRequest request) =>
            Results.Content(ExplanationDocument.Serialize(await Explain(state, request).ConfigureAwait(false)), "application/json; charset=utf-8"));
    }

    private static JsonObject Models(ExplorerState state) => new()
    {
        ["models"] = new JsonArray(state.Models.Values.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name, ["folder"] = m.Folder, ["layers"] = m.Model.Language.NumLayers, ["heads"] = m.Model.Config.Text.NumHeads,
            ["parameters"] = m.Model.ParameterCount,
        }).ToArray()),
        ["explainers"] = new JsonArray(ExplainerRegistry.All.Names.Select(n => (JsonNode)n).ToArray()),
        ["templates"] = new JsonArray(LvlmEval.Models.Llava.PromptTemplates.Names.Select(n => (JsonNode)n).ToArray()),
        ["edits"] = new JsonArray(ImageEdit.Kinds.Select(n => (JsonNode)n).ToArray()),
        ["runs"] = new JsonArray(state.Runs.Runs.Keys.Select(n => (JsonNode)n).ToArray()),
        ["limits"] = new JsonObject
        {
            ["max_image_bytes"] = state.Limits.MaxImageBytes, ["max_image_side"] = state.Limits.MaxImageSide,
            ["max_prompt_chars"] = state.Limits.MaxPromptChars, ["max_new_tokens"] = state.Limits.MaxNewTokens,
        },
    };

    private static async Task<JsonObject> Ask(ExplorerState state, HttpRequest request)
    {
        var clock = Stopwatch.StartNew();
        var form = await FormFields.Form(request).ConfigureAwait(false);
        var served = FormFields.Model(state.Models, form["model"]);
        var (uploaded, _) = await FormFields.Image(form, "image", state.Limits).ConfigureAwait(false);
        var prompt = FormFields.Prompt(form["prompt"], state.Limits);
        var template = FormFields.Template(form["template"]);
        int max = FormFields.MaxNewTokens(form["max_new_tokens"], state.Limits);
        var edit = ImageEdit.Parse(form["edit"], form["edit_x"], form["edit_y"], form["edit_width"], form["edit_height"], uploaded);
        var image = edit?.Apply(uploaded) ?? uploaded;
        int seed = FormFields.Int(form["seed"], "seed", 0);
        var session = await served.Queue.Run(form["ticket"], () => AnswerSession.Create(served, image, prompt, template, max, seed)).ConfigureAwait(false);
        state.Sessions.Add(session);
        var prepared = session.Prepared;
        return new JsonObject
        {
            ["session"] = session.Id, ["model"] = served.Name, ["prompt"] = prompt, ["prompt_text"] = prepared.PromptText,
            ["answer"] = session.Generation.Text, ["stopped_at_eos"] = session.Generation.StoppedAtEos, ["seed"] = session.Seed,
            ["answer_tokens"] = new JsonArray(session.AnswerIds.Select((id, t) => (JsonNode)new JsonObject
            {
                ["index"] = t, ["token_id"] = id, ["token"] = session.PositionTokens[session.AnswerStart + t], ["log_prob"] = session.AnswerLogProbs[t],
            }).ToArray()),
            ["prompt_tokens"] = new JsonArray(Enumerable.Range(0, session.AnswerStart).Where(p => !session.IsImage(p)).Select(p => (JsonNode)new JsonObject
            {
                ["position"] = p, ["token"] = session.PositionTokens[p],
            }).ToArray()),
            ["image_token_span"] = new JsonObject { ["start"] = prepared.ImageTokenStart, ["count"] = prepared.ImageTokenCount },
            ["patch_grid"] = new JsonObject { ["height"] = prepared.GridHeight, ["width"] = prepared.GridWidth, ["patch_token_start"] = prepared.PatchTokenStart },
            ["layers"] = served.Model.Language.NumLayers, ["heads"] = served.Model.Config.Text.NumHeads,
            ["image_url"] = $"/api/sessions/{session.Id}/image", ["image_width"] = image.Width, ["image_height"] = image.Height,
            ["edit"] = edit is null ? null : new JsonObject
            {
                ["kind"] = edit.Kind, ["x"] = edit.Rect.Left, ["y"] = edit.Rect.Top, ["width"] = edit.Rect.Width, ["height"] = edit.Rect.Height,
            },
            ["explainers"] = new JsonArray(ExplainerRegistry.All.Names.Select(n => (JsonNode)n).ToArray()),
            ["generation_ms"] = (session.Generation.PrefillTime + session.Generation.DecodeTime).TotalMilliseconds,
            ["server_ms"] = clock.Elapsed.TotalMilliseconds,
        };
    }

    // The same document `lvlm-eval explain` writes, built by the same code; "image" records the uploaded file's name.
    private static async Task<JsonObject> Explain(ExplorerState state, HttpRequest request)
    {
        var form = await FormFields.Form(request).ConfigureAwait(false);
        var served = FormFields.Model(state.Models, form["model"]);
        var (image, fileName) = await FormFields.Image(form, "image", state.Limits).ConfigureAwait(false);
        var prompt = FormFields.Prompt(form["prompt"], state.Limits);
        var template = FormFields.Template(form["template"]);
        int max = FormFields.MaxNewTokens(form["max_new_tokens"], state.Limits);
        var names = form["explainer"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToArray();
        if (names.Length == 0) names = ExplainerRegistry.All.Names.ToArray();
        // An unknown name fails with the registry's error (a 400 listing the valid explainers).
        var explainers = names.Select(n => ExplainerRegistry.All.Create(n)).ToList();
        int seed = FormFields.Int(form["seed"], "seed", 0);
        var options = new SampleRunOptions { MaxNewTokens = max, Template = template, Explainers = explainers };
        return await served.Queue.Run(form["ticket"], () =>
            ExplainedImage.Explain(served.Model, served.Folder, image, fileName, prompt, options, seed, heatmapFolder: null).Document).ConfigureAwait(false);
    }

    /// <summary>PNG bytes of an image.</summary>
    public static IResult Png(LvlmEval.Imaging.RgbImage image) => Results.Bytes(PngCodec.Encode(image), "image/png");
}
