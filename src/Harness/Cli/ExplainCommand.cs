using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Results;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

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
        var explainers = new Option<string[]>("--explainer") { Description = "Explainer name (repeatable, or several after one flag); default: every registered explainer.", AllowMultipleArgumentsPerToken = true, HelpName = "NAME" };
        var output = new Option<string?>("--out") { Description = "Output folder (default: reports/explain-IMAGE).", HelpName = "DIR" };
        var command = new Command("explain", """
            Explain a model's answer to one question about one image: a heatmap PNG per answer token and for the whole answer, per explainer,
            and explanation.json (input ids, image-token span, patch grid, answer with log-probs, every map as [row][col]).

            Examples:
              lvlm-eval explain --model models/tiny-llava-shapes --image cat.png --prompt "What colour is the circle?"
              lvlm-eval explain --model ~/models/llava-1.5-7b-hf --image dog.jpg --prompt "What is the dog doing?" --explainer relevancy dexar --out out/dog
            """) { model, image, prompt, template, maxNew, explainers, output };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var imagePath = parse.GetValue(image)!;
            var modelDir = parse.GetValue(model)!;
            if (!Directory.Exists(modelDir)) throw new DirectoryNotFoundException($"model folder '{modelDir}' does not exist");
            if (!File.Exists(imagePath)) throw new FileNotFoundException($"image '{imagePath}' does not exist");
            int max = parse.GetValue(maxNew);
            if (max < 1) throw new ArgumentException("--max-new-tokens must be ≥ 1");
            var names = parse.GetValue(explainers) is { Length: > 0 } given ? given : ExplainerRegistry.Names.ToArray();
            if (names.Length == 0) throw new ArgumentException("no explainers are registered; pass --explainer NAME");
            var methods = names.Select(n => ExplainerRegistry.Contains(n) ? ExplainerRegistry.Create(n)
                : throw new ArgumentException($"unknown explainer '{n}'; valid explainers: {string.Join(", ", ExplainerRegistry.Names)}")).ToList();
            var outDir = parse.GetValue(output) ?? Path.Combine("reports", "explain-" + Path.GetFileNameWithoutExtension(imagePath));
            var json = Explain(modelDir, imagePath, parse.GetValue(prompt)!, ExperimentLoader.ParseTemplate(parse.GetValue(template)!)!.Value, max, methods, outDir);
            Console.WriteLine($"answer: {(string?)json["answer"]}");
            Console.WriteLine($"wrote {Path.GetFullPath(outDir)}/explanation.json and heatmaps for {string.Join(", ", names)}");
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Runs the explainers on one image and question; writes PNGs and explanation.json to <paramref name="outDir"/>; returns the JSON.</summary>
    public static JsonObject Explain(string modelDir, string imagePath, string prompt, PromptTemplate template, int maxNewTokens,
        IReadOnlyList<IExplainer> explainers, string outDir)
    {
        var image = RgbImage.Load(imagePath);
        var model = LlavaModel.Load(modelDir);
        foreach (var e in explainers) e.Validate(model);
        var prepared = model.Prepare(image, prompt, template);
        var generation = model.Generate(prepared, maxNewTokens);
        var answer = generation.TokenIds;
        // One traced forward recording what every explainer reads also gives the answer's log-probs.
        var traces = TraceCache.For(explainers);
        Directory.CreateDirectory(outDir);
        var json = new JsonObject
        {
            ["model"] = Path.GetFullPath(modelDir),
            ["image"] = Path.GetFullPath(imagePath),
            ["prompt"] = prompt,
            ["prompt_text"] = prepared.PromptText,
            ["input_token_ids"] = Ints(prepared.TokenIds),
            ["image_token_span"] = new JsonObject { ["start"] = prepared.ImageTokenStart, ["count"] = prepared.ImageTokenCount },
            ["patch_grid"] = new JsonObject { ["height"] = prepared.GridHeight, ["width"] = prepared.GridWidth, ["patch_token_start"] = prepared.PatchTokenStart },
            ["answer"] = generation.Text,
            ["answer_token_ids"] = Ints(answer),
            ["answer_tokens"] = new JsonArray(answer.Select(id => (JsonNode)JsonValue.Create(model.Tokenizer?.Decode([id]) ?? "")!).ToArray()),
            ["answer_log_probs"] = new JsonArray(AnswerLogProbs(model, prepared, answer, traces).Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
            ["stopped_at_eos"] = generation.StoppedAtEos,
        };
        var results = new JsonObject();
        if (answer.Length > 0)
        {
            foreach (var explainer in explainers)
            {
                var explanation = explainer.Explain(new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer, Seed = 0, Traces = traces });
                var folder = Path.Combine(outDir, explainer.Name);
                Directory.CreateDirectory(folder);
                var tokens = new JsonArray();
                foreach (var t in explanation.Tokens)
                {
                    var png = string.Create(CultureInfo.InvariantCulture, $"{explainer.Name}/token-{t.Index:D3}.png");
                    HeatmapRenderer.Overlay(image, t.Map.Values, t.Map.GridHeight, t.Map.GridWidth, HeatmapStyle.Default).Save(Path.Combine(outDir, png));
                    tokens.Add(new JsonObject
                    {
                        ["index"] = t.Index, ["token_id"] = t.TokenId, ["token"] = model.Tokenizer?.Decode([t.TokenId]) ?? "", ["heatmap"] = png, ["map"] = Grid(t.Map),
                        ["text_relevance_sum"] = t.PositionRelevance is { } r ? JsonValue.Create((double)r.Sum()) : null,
                    });
                }
                var seq = explanation.SequenceMap;
                var sequencePng = $"{explainer.Name}/sequence.png";
                HeatmapRenderer.Overlay(image, seq.Values, seq.GridHeight, seq.GridWidth, HeatmapStyle.Default).Save(Path.Combine(outDir, sequencePng));
                results[explainer.Name] = new JsonObject
                {
                    ["tokens"] = tokens, ["sequence_heatmap"] = sequencePng, ["sequence_map"] = Grid(seq),
                    ["cost"] = new JsonObject
                    {
                        ["forwards"] = explanation.Cost.Forwards, ["backwards"] = explanation.Cost.Backwards, ["wall_ms"] = explanation.Cost.WallTime.TotalMilliseconds,
                    },
                };
            }
        }
        json["explainers"] = results;
        File.WriteAllText(Path.Combine(outDir, "explanation.json"), json.ToJsonString(Manifest.JsonOptions) + "\n");
        return json;
    }

    /// <summary>log p(answer token t | prompt, earlier answer tokens) for each t, from one teacher-forced forward (shared through <paramref name="traces"/> when given).</summary>
    public static double[] AnswerLogProbs(LlavaModel model, PreparedInput prepared, int[] answer, TraceCache? traces = null)
    {
        if (answer.Length == 0) return [];
        var options = new TraceOptions { LogitsFrom = prepared.TokenIds.Length - 1 };
        var trace = traces is null ? model.Forward(prepared, answer, options) : traces.GetOrRun(options, o => model.Forward(prepared, answer, o));
        var logits = trace.Logits.Data;
        int vocab = logits.Length / (answer.Length + 1);
        var result = new double[answer.Length];
        for (int t = 0; t < answer.Length; t++)
        {
            var row = logits.Slice(t * vocab, vocab);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            result[t] = row[answer[t]] - max - Math.Log(sum);
        }
        return result;
    }

    private static JsonArray Ints(int[] ids) => new(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());

    private static JsonArray Grid(PatchMap map) => new(Enumerable.Range(0, map.GridHeight).Select(r => (JsonNode)new JsonArray(
        Enumerable.Range(0, map.GridWidth).Select(c => (JsonNode?)(double.IsFinite(map[r, c]) ? JsonValue.Create(map[r, c]) : null)).ToArray())).ToArray());
}
