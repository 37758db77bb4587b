using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Harness.Results;
using LvlmEval.Metrics.Task;

namespace LvlmEval.Harness.Cli;

/// <summary>
/// <c>score --format NAME --root DIR --predictions FILE [--split S]</c>: task scores of predictions made by any system, overall
/// and per question type, as JSON. VQAv2 predictions are the official results JSON <c>[{question_id, answer}]</c>; the
/// other formats take JSONL <c>{id, answer}</c> with the dataset's sample ids.
/// </summary>
public static class ScoreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = $"Dataset format: {string.Join(", ", DatasetRegistry.Names)}.", Required = true, HelpName = "NAME" };
        var root = new Option<string?>("--root") { Description = "Dataset folder (not needed for shapes).", HelpName = "DIR" };
        var split = new Option<string?>("--split") { Description = "Split (the loader's default when absent).", HelpName = "S" };
        var predictions = new Option<string>("--predictions") { Description = "VQAv2 results JSON [{question_id, answer}], else JSONL {id, answer}.", Required = true, HelpName = "FILE" };
        var command = new Command("score", """
            Score predictions from any system with the dataset's task metric; prints JSON {format, split, count, missing, overall, per_type}.

            Examples:
              lvlm-eval score --format vqav2 --root ~/data/vqav2 --split val2014 --predictions results.json
              lvlm-eval score --format shapes --split test --predictions answers.jsonl
            """) { format, root, split, predictions };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var result = Score(parse.GetValue(format)!, parse.GetValue(root) ?? "", parse.GetValue(split), parse.GetValue(predictions)!);
            Console.WriteLine(result.ToJsonString(Manifest.JsonOptions));
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Scores the predictions file against the dataset; samples without a prediction are counted as missing, not scored.</summary>
    public static JsonObject Score(string format, string root, string? split, string predictionsPath)
    {
        if (!File.Exists(predictionsPath)) throw new FileNotFoundException($"predictions file '{predictionsPath}' does not exist");
        var loader = DatasetRegistry.Create(format);
        var scorer = TaskScorer.For(loader.Name);
        var predictions = ReadPredictions(predictionsPath, loader.Name == "vqav2");
        var options = new DatasetOptions { Root = root, Split = split };
        var totals = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        int missing = 0, count = 0, failed = 0;
        double sum = 0;
        foreach (var entry in DatasetReader.Read(loader, options))
        {
            if (entry.Sample is not { } sample) { failed++; continue; }
            if (!predictions.TryGetValue(sample.Id, out var answer)) { missing++; continue; }
            double score = scorer.Score(answer, sample.Answers);
            sum += score;
            count++;
            var type = sample.QuestionType ?? "(none)";
            var (s, n) = totals.GetValueOrDefault(type);
            totals[type] = (s + score, n + 1);
        }
        var known = count + missing + failed;
        if (count == 0)
            throw new ArgumentException($"{predictionsPath}: none of its {predictions.Count} ids matches a sample of {format} ({known} samples); check the ids and --split");
        return new JsonObject
        {
            ["format"] = loader.Name, ["scorer"] = scorer.Name, ["split"] = split ?? loader.DefaultSplit, ["count"] = count, ["missing"] = missing, ["unreadable"] = failed,
            ["overall"] = sum / count,
            ["per_type"] = new JsonObject(totals.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["score"] = kv.Value.Sum / kv.Value.Count, ["count"] = kv.Value.Count }))),
        };
    }

    private static Dictionary<string, string> ReadPredictions(string path, bool vqaResults)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (vqaResults)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException($"{path}: VQAv2 results must be a JSON array of {{question_id, answer}}");
            int i = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (!item.TryGetProperty("question_id", out var id) || !item.TryGetProperty("answer", out var answer))
                    throw new FormatException($"{path}: item {i} lacks question_id or answer");
                result[id.ValueKind == JsonValueKind.Number ? id.GetInt64().ToString(CultureInfo.InvariantCulture) : id.GetString()!] = answer.GetString() ?? "";
                i++;
            }
            return result;
        }
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Trim().Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var id = doc.RootElement.GetProperty("id");
                result[id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString()!] = doc.RootElement.GetProperty("answer").GetString() ?? "";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"{path}:{line}: expected a JSON object {{\"id\": …, \"answer\": \"…\"}} ({e.Message})");
            }
        }
        return result;
    }
}
