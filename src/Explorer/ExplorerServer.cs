using System.Net;
using System.Text.Json.Nodes;
using LvlmEval.Common;
using LvlmEval.Common.Config;
using LvlmEval.Explorer.Api;
using LvlmEval.Explorer.Inspection;
using LvlmEval.Explorer.Runs;
using LvlmEval.Explorer.Serving;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LvlmEval.Explorer;

/// <summary>
/// The explorer: an ASP.NET Core minimal-API app serving one embedded page and the JSON API of docs/EXPLORER.md. Every
/// handler is thin: it checks the request, queues model calls per model, and calls the same code the command line calls.
/// </summary>
public sealed class ExplorerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExplorerServer(WebApplication app, ExplorerState state)
    {
        _app = app;
        State = state;
    }

    /// <summary>What the handlers share: served models, sessions, runs, limits.</summary>
    public ExplorerState State { get; }

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:7860/ (after <see cref="StartAsync"/>).</summary>
    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    /// <summary>Loads the models and builds the app (not yet listening). Bad folders fail here, before anything binds.</summary>
    public static ExplorerServer Create(ExplorerOptions options)
    {
        if (options.Models.Count == 0) throw new ArgumentException("serve needs at least one --model DIR");
        foreach (var run in options.Runs)
            if (!Directory.Exists(run)) throw new DirectoryNotFoundException($"run folder '{run}' does not exist");
        if (!IPAddress.TryParse(options.Host, out var address) && options.Host != "localhost")
            throw new ArgumentException($"--host '{options.Host}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0)");
        var models = LoadModels(options.Models);
        var state = new ExplorerState(models, new SessionStore(options.Sessions), new RunBrowser(options.Runs, options.RunCatalog), options.Limits);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        // A failed start (busy port) reaches the command line as one line; the host would also log its stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // Room for a 20 MB image plus the other fields; the image limit itself is checked with its own message.
        long body = options.Limits.MaxImageBytes + 1024 * 1024;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = body;
            if (address is null) k.ListenLocalhost(options.Port);
            else k.Listen(address, options.Port);
        });
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = body);
        var app = builder.Build();
        app.Use(ErrorBoundary);
        PageEndpoints.Map(app);
        AskEndpoints.Map(app, state);
        InspectEndpoints.Map(app, state);
        RunEndpoints.Map(app, state);
        return new ExplorerServer(app, state);
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancel = default) => _app.StartAsync(cancel);

    /// <summary>Serves until <paramref name="cancel"/> fires (or the process is interrupted).</summary>
    public Task RunAsync(CancellationToken cancel = default) => _app.WaitForShutdownAsync(cancel);

    /// <summary>Stops listening.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Dictionary<string, ServedModel> LoadModels(IReadOnlyList<string> folders)
    {
        var models = new Dictionary<string, ServedModel>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"model folder '{folder}' does not exist");
            var full = Path.GetFullPath(folder);
            string baseName = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), name = baseName;
            for (int i = 2; models.ContainsKey(name); i++) name = $"{baseName}-{i}";
            models[name] = new ServedModel(name, folder, LlavaModel.Load(folder));
        }
        return models;
    }

    // Every failure becomes a JSON {"error": one line}: 400 for bad requests, 404 for unknown names, 500 otherwise.
    // A file the server reads that is malformed (a run's manifest.json as a ConfigException, a Parquet part as an
    // InvalidDataException; the form reader's own InvalidDataException is a 400 in FormFields) is the server's failure,
    // not the client's, so 500 too, but not a bug: the message already reads FILE[:LINE]: problem (Parquet errors have
    // no line), and the log gets that line rather than a stack trace. The server keeps serving; no stack trace reaches the client.
    private static async Task ErrorBoundary(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                ExplorerRequestException r => (r.NotFound ? 404 : 400, r.Message),
                BadHttpRequestException b => (400, $"bad request: {b.Message}"),
                ParameterException or ArgumentException or ImageDecodeException => (400, e.Message),
                ConfigException or InvalidDataException => (500, $"a file of the server cannot be read: {e.Message}"),
                OperationCanceledException => (499, "the request was cancelled"),
                _ => (500, $"internal error ({e.GetType().Name}): {e.Message}"),
            };
            var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("explorer");
            if (e is ConfigException or InvalidDataException)
                log.LogWarning("{Path} failed: {Message}", context.Request.Path, FormFields.FirstLine(message));
            else if (status == 500)
                log.LogError(e, "{Path} failed", context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = status;
            await Json.Write(context.Response, new JsonObject { ["error"] = FormFields.FirstLine(message) }).ConfigureAwait(false);
        }
    }
}

/// <summary>State shared by the explorer's handlers.</summary>
public sealed record ExplorerState(IReadOnlyDictionary<string, ServedModel> Models, SessionStore Sessions, RunBrowser Runs, RequestLimits Limits)
{
    /// <summary>The session <paramref name="id"/> or a 404 saying it expired.</summary>
    public AnswerSession Session(string id) => Sessions.Find(id)
        ?? throw new ExplorerRequestException($"session '{id}' is unknown or expired (the server keeps the most recent answers only): ask again", notFound: true);
}
