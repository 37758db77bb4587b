using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LvlmEval.Explorer.Api;

/// <summary>Writes JSON documents as responses.</summary>
public static class Json
{
    // Non-ASCII text and quotes stay readable ("'layer' must be 0 … 1"), as in explanation.json.
    private static readonly System.Text.Json.JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON result of <paramref name="document"/>.</summary>
    public static IResult Result(JsonNode document) => Results.Content(document.ToJsonString(Options), "application/json; charset=utf-8");

    /// <summary>Writes <paramref name="document"/> to <paramref name="response"/>.</summary>
    public static Task Write(HttpResponse response, JsonNode document)
    {
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(document.ToJsonString(Options));
    }
}
