using System.CommandLine;
using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Results;
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
        var format = new Option<string>("--format") { Description = $"Dataset format: {string.Join(", ", DatasetRegistry.All.Names)}.", Required = true, HelpName = "NAME" };
        var root = new Option<string?>("--root") { Description = "Dataset folder (not needed for shapes).", HelpName = "DIR" };
        var split = new Option<string?>("--split") { Description = "Split (the loader's default when absent).", HelpName = "S" };
        var predictions = new Option<string>("--predictions") { Description = "VQAv2 results JSON [{question_id, answer}], else JSONL {id, answer}.", Required = true, HelpName = "FILE" };
        var command = new Command("score", """
            Score predictions from any system with the dataset's task metric; prints JSON {format, scorer, split, count, missing, unreadable,
            overall, per_type, pair_accuracy (paired datasets such as MMVP), pope (POPE: accuracy, precision, recall, f1, yes_ratio overall and per_split)}. Scores are in [0, 1].

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

    /// <summary>
    /// Scores the predictions file against the dataset; samples without a prediction are counted as missing, not scored. A
    /// prediction whose id is not a sample of the dataset split, or an id predicted twice, is an error naming its line.
    /// </summary>
    public static JsonObject Score(string format, string root, string? split, string predictionsPath)
    {
        var loader = DatasetRegistry.All.Create(format);
        var scorer = TaskScorer.All.Create(loader.Name);
        var predictions = Index(loader.Name == "vqav2" ? PredictionsFile.ReadVqaResults(predictionsPath) : PredictionsFile.ReadJsonLines(predictionsPath), predictionsPath);
        var options = new DatasetOptions { Root = root, Split = split };
        var known = new HashSet<string>(StringComparer.Ordinal);
        var types = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        var pairs = new Dictionary<string, PairTally>(StringComparer.Ordinal);
        var yesNo = new List<(string Type, string Prediction, string Label)>();
        int missing = 0, count = 0, failed = 0;
        double sum = 0;
        foreach (var entry in DatasetReader.Read(loader, options))
        {
            if (entry.Sample is not { } sample)
            {
                known.Add(entry.Error!.SampleId);
                failed++;
                continue;
            }
            known.Add(sample.Id);
            var pair = sample.PairId is { } pairId ? pairs.TryGetValue(pairId, out var p) ? p : pairs[pairId] = new PairTally() : null;
            if (!predictions.TryGetValue(sample.Id, out var prediction))
            {
                missing++;
                if (pair is not null) pair.Complete = false;
                continue;
            }
            double score = scorer.Score(prediction.Answer, sample);
            sum += score;
            count++;
            var type = sample.QuestionType ?? "(none)";
            var (s, n) = types.GetValueOrDefault(type);
            types[type] = (s + score, n + 1);
            pair?.Scores.Add(score);
            if (scorer is PopeAccuracy) yesNo.Add((type, prediction.Answer, sample.Answers[0]));
        }
        string splitName = split ?? loader.DefaultSplit;
        foreach (var prediction in predictions.Values.OrderBy(p => p.Line))
            if (!known.Contains(prediction.Id))
                throw new PredictionsFileException(predictionsPath, prediction.Line,
                    $"id '{prediction.Id}' is not a sample of {loader.Name} split '{splitName}' ({known.Count} samples); check the ids and --split");
        if (count == 0)
            throw new PredictionsFileException(predictionsPath, 1, $"none of its {predictions.Count} ids has a readable sample of {loader.Name} split '{splitName}'");
        var result = new JsonObject
        {
            ["format"] = loader.Name, ["scorer"] = scorer.Name, ["split"] = splitName, ["count"] = count, ["missing"] = missing, ["unreadable"] = failed,
            ["overall"] = sum / count,
            ["per_type"] = new JsonObject(types.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["score"] = kv.Value.Sum / kv.Value.Count, ["count"] = kv.Value.Count }))),
        };
        if (scorer is PopeAccuracy) result["pope"] = PopeJson(yesNo);
        // Paired benchmarks (MMVP's official figure): a pair counts only when all its questions were predicted.
        var complete = pairs.Where(kv => kv.Value.Complete && kv.Value.Scores.Count > 0).ToList();
        if (complete.Count > 0)
            result["pair_accuracy"] = new JsonObject
            {
                ["score"] = PairAccuracy.Compute(complete.SelectMany(kv => kv.Value.Scores.Select(v => ((string?)kv.Key, v)))),
                ["pairs"] = complete.Count,
            };
        return result;
    }

    // POPE's own summary (accuracy, precision, recall, F1, yes-ratio), overall and per sampling strategy.
    private static JsonObject PopeJson(IReadOnlyList<(string Type, string Prediction, string Label)> answers)
    {
        static JsonObject Summary(IEnumerable<(string Type, string Prediction, string Label)> rows)
        {
            var s = PopeScores.From(rows.Select(r => (r.Prediction, r.Label)));
            static JsonNode? Number(double v) => double.IsNaN(v) ? null : JsonValue.Create(v);
            return new JsonObject
            {
                ["accuracy"] = Number(s.Accuracy), ["precision"] = Number(s.Precision), ["recall"] = Number(s.Recall), ["f1"] = Number(s.F1),
                ["yes_ratio"] = Number(s.YesRatio), ["count"] = s.Count,
                ["tp"] = s.TruePositives, ["fp"] = s.FalsePositives, ["tn"] = s.TrueNegatives, ["fn"] = s.FalseNegatives,
            };
        }
        var result = new JsonObject { ["overall"] = Summary(answers) };
        var perSplit = new JsonObject();
        foreach (var group in answers.GroupBy(a => a.Type).OrderBy(g => g.Key, StringComparer.Ordinal)) perSplit[group.Key] = Summary(group);
        result["per_split"] = perSplit;
        return result;
    }

    private static Dictionary<string, Prediction> Index(IReadOnlyList<Prediction> predictions, string path)
    {
        var result = new Dictionary<string, Prediction>(StringComparer.Ordinal);
        foreach (var p in predictions)
            if (!result.TryAdd(p.Id, p))
                throw new PredictionsFileException(path, p.Line, $"id '{p.Id}' is predicted twice (first on line {result[p.Id].Line})");
        return result;
    }

    private sealed class PairTally
    {
        public bool Complete { get; set; } = true;
        public List<double> Scores { get; } = [];
    }
}
