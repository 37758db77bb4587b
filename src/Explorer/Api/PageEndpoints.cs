using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LvlmEval.Explorer.Api;

/// <summary>The page and its script and style, served from the assembly's embedded resources.</summary>
public static class PageEndpoints
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
    };

    /// <summary>Maps <c>GET /</c> and <c>GET /assets/{name}</c>.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
    }

    private static IResult Asset(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name);
        if (stream is null || !Types.TryGetValue(Path.GetExtension(name), out var type)) return Results.NotFound();
        return Results.Stream(stream, type);
    }
}
