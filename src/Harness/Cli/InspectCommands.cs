using System.CommandLine;
using LvlmEval.Datasets;
using LvlmEval.Models;

namespace LvlmEval.Harness.Cli;

/// <summary><c>datasets inspect …</c> and <c>models inspect DIR</c>.</summary>
public static class InspectCommands
{
    /// <summary>The <c>datasets</c> group with <c>inspect</c>.</summary>
    public static Command Datasets()
    {
        var format = new Option<string>("--format") { Description = $"Loader: {string.Join(", ", DatasetRegistry.Names)}.", Required = true, HelpName = "NAME" };
        var root = new Option<string?>("--root") { Description = "Folder the dataset was downloaded to (not needed for shapes).", HelpName = "DIR" };
        var split = new Option<string?>("--split") { Description = "Split (each loader has a default).", HelpName = "S" };
        var limit = new Option<int?>("--limit") { Description = "Keep at most N items.", HelpName = "N" };
        var first = new Option<int>("--first") { Description = "Show the first N samples.", DefaultValueFactory = _ => 5, HelpName = "N" };
        var set = new Option<string[]>("--set") { Description = "Loader setting key=value (repeatable).", HelpName = "key=value", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var inspect = new Command("inspect", """
            Summarise a dataset folder: item count, per-sample problems, the first samples.

            Examples:
              lvlm-eval datasets inspect --format shapes --split test --first 3
              lvlm-eval datasets inspect --format vqav2 --root ~/data/vqav2 --split val2014 --limit 1000 --json
            """) { format, root, split, limit, first, set, json };
        inspect.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var settings = new Dictionary<string, string>();
            foreach (var item in parse.GetValue(set) ?? [])
            {
                var kv = item.Split('=', 2);
                if (kv.Length != 2) throw new ArgumentException($"--set takes key=value, got '{item}'");
                settings[kv[0]] = kv[1];
            }
            var summary = DatasetInspector.Inspect(parse.GetValue(format)!,
                new DatasetOptions { Root = parse.GetValue(root) ?? "", Split = parse.GetValue(split), Limit = parse.GetValue(limit), Settings = settings },
                parse.GetValue(first));
            Console.Write(parse.GetValue(json) ? summary.ToJson() + Environment.NewLine : summary.ToText());
            return CliErrors.Ok;
        }));
        return new Command("datasets", "Dataset tools.") { inspect };
    }

    /// <summary>The <c>models</c> group with <c>inspect</c>.</summary>
    public static Command Models()
    {
        var dir = new Argument<string>("DIR") { Description = "A Hugging Face LLaVA folder (config.json, *.safetensors)." };
        var layers = new Option<bool>("--layers") { Description = "List the layer names lvlm-eval extract accepts (HF module-tree names)." };
        var inspect = new Command("inspect", """
            Describe a model folder from config.json and the safetensors headers (no weights are loaded).

            Example:
              lvlm-eval models inspect models/tiny-llava-shapes
              lvlm-eval models inspect models/tiny-llava-shapes --layers
            """) { dir, layers };
        inspect.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var path = parse.GetValue(dir)!;
            if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"model folder '{path}' does not exist");
            Console.Write(ModelInspector.Describe(path));
            if (parse.GetValue(layers))
            {
                Console.WriteLine("Layers (lvlm-eval extract; globs and 'all' accepted):");
                foreach (var layer in LvlmEval.Probing.Extraction.LayerCatalog.Available(LvlmEval.Models.Config.LlavaConfig.Load(Path.Combine(path, "config.json"))))
                    Console.WriteLine($"  {layer.Name}");
            }
            return CliErrors.Ok;
        }));
        return new Command("models", "Model tools.") { inspect };
    }
}
