using System.CommandLine;
using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Explainers.Output;
using LvlmEval.Harness.Configuration;
using LvlmEval.Imaging;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Models.Editing;
using LvlmEval.Models.Llava;

namespace LvlmEval.Harness.Cli;

/// <summary>
/// <c>explain --model DIR --image FILE --prompt TEXT …</c>: answers one question about one image and writes a heatmap PNG per
/// answer token and per sequence for each explainer, plus explanation.json.
/// </summary>
public static class ExplainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face LLaVA folder.", Required = true, HelpName = "DIR" };
        var image = new Option<string>("--image") { Description = "Image file (JPEG or PNG).", Required = true, HelpName = "FILE" };
        var prompt = new Option<string>("--prompt") { Description = "The question; it goes through the model's chat template like the HF processor.", Required = true, HelpName = "TEXT" };
        var template = new Option<string>("--template") { Description = "Chat template: auto, llava, chatml or none (prompt used as given; must contain <image>).", DefaultValueFactory = _ => "auto" };
        template.AcceptOnlyFromAmong("auto", "llava", "chatml", "none");
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest answer.", DefaultValueFactory = _ => 16, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Seed of the stochastic explainers (RISE masks, random maps); a run's samples table records each sample's seed. With it, the prompt the run sent (a dataset may add an instruction to the recorded question), the run's --max-new-tokens and template, explain recomputes that sample's maps exactly if the run's model had no edits:, the explainers do not read the sample's subject from its metadata (internal-confidence does) and the run had one worker with the default --threads.", DefaultValueFactory = _ => 0, HelpName = "N" };
        var explainers = new Option<string[]>("--explainer") { Description = "Explainer name (repeatable, or several after one flag); default: every registered explainer.", AllowMultipleArgumentsPerToken = true, HelpName = "NAME" };
        var output = new Option<string?>("--out") { Description = "Output folder (default: reports/explain-IMAGE).", HelpName = "DIR" };
        var edit = new Option<string?>("--edit") { Description = "Also answer under a hidden-state edit and show both answers: project-away:OBJECT removes OBJECT's text direction from the image tokens (ProjectAway, automatic layers, weight 1; docs/HALLUCINATION.md).", HelpName = "project-away:OBJECT" };
        var command = new Command("explain", """
            Explain a model's answer to one question about one image: a heatmap PNG per answer token and for the whole answer, per explainer,
            and explanation.json (input ids, image-token span, patch grid, answer with log-probs, every map as [row][col]).

            Examples:
              lvlm-eval explain --model models/tiny-llava-shapes --image cat.png --prompt "What colour is the circle?"
              lvlm-eval explain --model ~/models/llava-1.5-7b-hf --image dog.jpg --prompt "What is the dog doing?" --explainer relevancy dexar --out out/dog
              lvlm-eval explain --model models/tiny-llava-shapes --image scene.png --prompt "Is there a red circle in the image?" --explainer internal-confidence --edit project-away:"red circle"
              lvlm-eval explain --model models/tiny-llava-shapes --image scene.png --prompt "What colour is the circle?" --explainer rise random --seed 1234567
            """) { model, image, prompt, template, maxNew, seed, explainers, output, edit };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var imagePath = parse.GetValue(image)!;
            var modelDir = parse.GetValue(model)!;
            if (!Directory.Exists(modelDir)) throw new DirectoryNotFoundException($"model folder '{modelDir}' does not exist");
            if (!File.Exists(imagePath)) throw new FileNotFoundException($"image '{imagePath}' does not exist");
            int max = parse.GetValue(maxNew);
            if (max < 1) throw new ArgumentException("--max-new-tokens must be ≥ 1");
            var names = parse.GetValue(explainers) is { Length: > 0 } given ? given : ExplainerRegistry.All.Names.ToArray();
            if (names.Length == 0) throw new ArgumentException("no explainers are registered; pass --explainer NAME");
            // An unknown name fails with the registry's error (exit code 2, listing the valid explainers).
            var methods = names.Select(n => ExplainerRegistry.All.Create(n)).ToList();
            var outDir = parse.GetValue(output) ?? Path.Combine("reports", "explain-" + Path.GetFileNameWithoutExtension(imagePath));
            var editSettings = parse.GetValue(edit) is { } e ? ParseEdit(e) : null;
            var options = new SampleRunOptions { MaxNewTokens = max, Template = ExperimentLoader.ParseTemplate(parse.GetValue(template)!)!.Value, Explainers = methods };
            var json = Explain(modelDir, imagePath, parse.GetValue(prompt)!, options, parse.GetValue(seed), outDir, editSettings);
            Console.WriteLine($"answer: {(string?)json["answer"]}");
            if (json["edit"] is JsonObject edited) Console.WriteLine($"answer under {(string?)edited["name"]}: {(string?)edited["answer"]}");
            Console.WriteLine($"wrote {Path.GetFullPath(outDir)}/explanation.json and heatmaps for {string.Join(", ", names)}");
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Runs the sample pipeline (<see cref="ExplainedImage"/>) on one image and question with <paramref name="options"/>
    /// and <paramref name="seed"/>; writes PNGs and explanation.json to <paramref name="outDir"/>; returns the JSON. With
    /// <paramref name="edit"/>, the JSON's <c>edit</c> holds the answer generated under the edit and the unedited answer's
    /// log-probability with and without it (the explainers explain the unedited answer).
    /// </summary>
    public static JsonObject Explain(string modelDir, string imagePath, string prompt, SampleRunOptions options, int seed, string outDir,
        ProjectAwaySettings? edit = null)
    {
        var image = RgbImage.Load(imagePath);
        var model = LlavaModel.Load(modelDir);
        Directory.CreateDirectory(outDir);
        var (json, outcome) = ExplainedImage.Explain(model, Path.GetFullPath(modelDir), image, Path.GetFullPath(imagePath), prompt, options, seed, outDir);
        if (edit is not null) json["edit"] = Edited(model, outcome.Prepared!, outcome.Generation!, options.MaxNewTokens, edit);
        File.WriteAllText(Path.Combine(outDir, "explanation.json"), ExplanationDocument.Serialize(json));
        return json;
    }

    /// <summary><c>project-away:OBJECT</c> as ProjectAway settings (automatic layers, weight 1).</summary>
    public static ProjectAwaySettings ParseEdit(string text)
    {
        const string prefix = ProjectAwaySettings.Name + ":";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length || string.IsNullOrWhiteSpace(text[prefix.Length..]))
            throw new ArgumentException($"--edit '{text}' is not understood; write {prefix}OBJECT, e.g. --edit \"{prefix}red circle\"");
        return new ProjectAwaySettings([text[prefix.Length..].Trim()], null, null, 1f);
    }

    private static JsonObject Edited(LlavaModel model, PreparedInput prepared, GenerationResult plain, int maxNewTokens, ProjectAwaySettings edit)
    {
        var hook = ProjectAway.Hook(model, prepared, [], edit);
        var edited = model.Generate(prepared, maxNewTokens, [hook]);
        var result = new JsonObject
        {
            ["name"] = edit.Label, ["hidden_state_index"] = hook.Layer,
            ["answer"] = edited.Text, ["answer_ids"] = new JsonArray(edited.TokenIds.Select(i => (JsonNode)i).ToArray()),
        };
        if (plain.TokenIds.Length > 0)
        {
            result["unedited_answer_log_probability"] = model.AnswerLogProbabilities(prepared, plain.TokenIds)[0].Sum();
            var underEdit = LvlmEval.Models.Tracing.TraceOptions.Plain with { LogitsFrom = prepared.TokenIds.Length - 1, Hooks = [hook] };
            result["unedited_answer_log_probability_under_edit"] = model.Forward(prepared, plain.TokenIds, underEdit).AnswerTokenLogProbabilities().Sum();
        }
        return result;
    }
}
