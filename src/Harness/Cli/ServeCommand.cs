using System.CommandLine;
using LvlmEval.Explorer;
using LvlmEval.Harness.Serving;

namespace LvlmEval.Harness.Cli;

/// <summary><c>serve --model DIR … [--run RUN_DIR …]</c>: the explorer, a local web page and JSON API over the models and finished runs.</summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Hugging Face LLaVA folder (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "DIR" };
        var runs = new Option<string[]>("--run") { Description = "Run folder to browse (repeatable).", AllowMultipleArgumentsPerToken = true, HelpName = "RUN_DIR" };
        var host = new Option<string>("--host") { Description = "Address to bind (127.0.0.1: this machine only).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 7860 };
        var command = new Command("serve", """
            Serve the explorer: ask a model about an uploaded image, inspect its answer (raw attention per layer and head, head summary,
            every explainer, logit lens), edit the image and ask again, and browse the samples of finished runs. Page and JSON API
            (docs/EXPLORER.md) run offline from this binary. Stop with Ctrl+C.

            Examples:
              lvlm-eval serve --model models/tiny-llava-shapes --run reports/quickstart
              lvlm-eval serve --model models/tiny-llava-shapes --model models/tiny-llava-shapes-blind --port 8080
            """) { models, runs, host, port };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            int listen = parse.GetValue(port);
            if (listen is < 0 or > 65535) throw new ArgumentException($"--port must be 0 … 65535; got {listen}");
            var options = new ExplorerOptions
            {
                Models = parse.GetValue(models)!, Runs = parse.GetValue(runs) ?? [], Host = parse.GetValue(host)!, Port = listen,
                RunCatalog = new HarnessRunCatalog(),
            };
            var server = ExplorerServer.Create(options);
            try
            {
                server.StartAsync().GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new ArgumentException($"cannot listen on {options.Host}:{listen}: {e.Message}");
            }
            Console.WriteLine($"explorer: {server.Address} (Ctrl+C stops)");
            server.RunAsync().GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return CliErrors.Ok;
        }));
        return command;
    }
}
