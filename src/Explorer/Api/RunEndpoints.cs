using LvlmEval.Explorer.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LvlmEval.Explorer.Api;

/// <summary>Finished runs: the served runs, their filtered sample lists, one sample with its scores and maps, its image, and the run's own files (report.html, charts).</summary>
public static class RunEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app, ExplorerState state)
    {
        app.MapGet("/api/runs", () => Json.Result(new System.Text.Json.Nodes.JsonObject
        {
            ["runs"] = new System.Text.Json.Nodes.JsonArray(state.Runs.Runs.Select(r => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = r.Key, ["folder"] = r.Value, ["report_url"] = File.Exists(Path.Combine(r.Value, "report.html")) ? $"/runs/{Uri.EscapeDataString(r.Key)}/report.html" : null,
            }).ToArray()),
        }));
        app.MapGet("/api/runs/{run}/samples", (string run, string? model, string? dataset, string? correct, string? explainer, string? metric,
            string? min, string? max, string? offset, string? limit) =>
        {
            bool? isCorrect = correct switch
            {
                null or "" or "any" => null,
                "true" or "correct" => true,
                "false" or "incorrect" => false,
                _ => throw new Serving.ExplorerRequestException($"'correct' must be true, false or any; got '{correct}'"),
            };
            var filter = new SampleFilter(model, dataset, isCorrect, explainer, metric, FormFields.Number(min, "min"), FormFields.Number(max, "max"));
            int first = FormFields.Int(offset, "offset", 0), count = FormFields.Int(limit, "limit", 200);
            if (first < 0 || count < 1 || count > 1000) throw new Serving.ExplorerRequestException("'offset' must be ≥ 0 and 'limit' 1 … 1000");
            return Json.Result(state.Runs.List(run, filter, first, count));
        });
        app.MapGet("/api/runs/{run}/samples/{index}", (string run, string index) => Json.Result(state.Runs.Sample(run, FormFields.Int(index, "index"))));
        app.MapGet("/api/runs/{run}/samples/{index}/image", (string run, string index) => AskEndpoints.Png(state.Runs.Image(run, FormFields.Int(index, "index"))));
        app.MapGet("/runs/{run}/{**path}", (string run, string? path) =>
        {
            var file = RunFiles.Resolve(state.Runs.Folder(run), path ?? "");
            return Results.File(file, RunFiles.ContentType(file));
        });
    }
}
