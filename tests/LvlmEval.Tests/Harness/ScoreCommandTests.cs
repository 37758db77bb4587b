using System.Text.Json.Nodes;
using LvlmEval.Tests.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>lvlm-eval score</c> on small copies of VQAv2, ChartQA and MMVP in their distributed layouts: overall, per-type and pair
/// scores equal values worked out by hand from the fixtures' known answers and each benchmark's published rule; a
/// malformed file, an unknown or repeated id is one error line naming FILE:LINE, exit code 2.
/// </summary>
public sealed class ScoreCommandTests
{
    // VQAv2 fixture: 4201 ("other") has ten human answers, seven "black", one each "black and white", "dark", "gray";
    // 4202 ("number") has nine "2" and one "two"; 4203–4205 are unreadable (no question, no image, no annotation).
    // VQA accuracy = mean over the ten leave-one-out subsets of min(1, matches / 3):
    //   "black": every subset keeps ≥ 6 matches → 1.  "gray": the subset without it has 0, the other nine 1/3 → 9/30 = 0.3.
    //   "2": ≥ 8 matches in every subset → 1.  "3": no match → 0.
    [TestCase("black", "2", 1.0, 1.0, 1.0, TestName = "VQAv2 all correct")]
    [TestCase("gray", "2", 0.65, 0.3, 1.0, TestName = "VQAv2 mixed: gray 0.3, 2 correct")]
    [TestCase("gray", "3", 0.15, 0.3, 0.0, TestName = "VQAv2 mixed: gray 0.3, 3 wrong")]
    public void VqaV2ResultsJson(string answer4201, string answer4202, double overall, double other, double number)
    {
        using var dir = new TempDir("harness-score");
        DatasetFixtures.VqaV2(dir.File("vqav2"));
        var predictions = Write(dir, "results.json", $$"""
            [
              {"question_id": 4201, "answer": "{{answer4201}}"},
              {"question_id": 4202, "answer": "{{answer4202}}"}
            ]
            """);
        var result = Score("vqav2", dir.File("vqav2"), "val2014", predictions);
        Assert.That((int)result["count"]!, Is.EqualTo(2));
        Assert.That((int)result["missing"]!, Is.EqualTo(0));
        Assert.That((int)result["unreadable"]!, Is.EqualTo(3));
        Assert.That((double)result["overall"]!, Is.EqualTo(overall).Within(1e-12));
        Assert.That(PerType(result), Is.EquivalentTo(new Dictionary<string, (double, int)> { ["other"] = (other, 1), ["number"] = (number, 1) }));
    }

    // ChartQA fixture: human-0 "24.5" and augmented-0 "112" readable (human-1 escapes the root, augmented-1 has no label).
    // Relaxed accuracy: within 5% of a numeric label. 25 is 2.0% off 24.5 (right), 26 is 6.1% off (wrong), 120 is 7.1% off 112.
    [TestCase("24.5", "112", 1.0, 1.0, 1.0, TestName = "ChartQA all correct")]
    [TestCase("25", "120", 0.5, 1.0, 0.0, TestName = "ChartQA mixed: 25 within 5%, 120 outside")]
    [TestCase("26", null, 0.0, 0.0, null, TestName = "ChartQA one wrong, one missing")]
    public void ChartQaJsonLines(string human, string? augmented, double overall, double humanScore, double? augmentedScore)
    {
        using var dir = new TempDir("harness-score");
        DatasetFixtures.ChartQa(dir.File("chartqa"));
        var lines = new List<string> { $$"""{"id": "human-0", "answer": "{{human}}"}""" };
        if (augmented is not null) lines.Add($$"""{"id": "augmented-0", "answer": "{{augmented}}"}""");
        var result = Score("chartqa", dir.File("chartqa"), "test", Write(dir, "answers.jsonl", string.Join("\n", lines) + "\n"));
        Assert.That((double)result["overall"]!, Is.EqualTo(overall).Within(1e-12));
        Assert.That((int)result["unreadable"]!, Is.EqualTo(2));
        Assert.That((int)result["missing"]!, Is.EqualTo(augmented is null ? 1 : 0));
        var expected = new Dictionary<string, (double, int)> { ["human"] = (humanScore, 1) };
        if (augmentedScore is { } a) expected["augmented"] = (a, 1);
        Assert.That(PerType(result), Is.EquivalentTo(expected));
    }

    [Test]
    public void MmvpJsonLinesGivesQuestionAndPairAccuracy()
    {
        // MMVP fixture: questions 1–4 form pairs (1, 2) and (3, 4) with answers (a), (b), (b), (a). Predicted: 1 "(a)" right,
        // 2 "b" right, 3 "B." right, 4 "(b) Closed" wrong → 3/4 of the questions; pair (1, 2) right, (3, 4) wrong → 1/2.
        // Pairs (99, 100) and (279, 280) have no predictions: missing, and left out of pair accuracy.
        using var dir = new TempDir("harness-score");
        DatasetFixtures.Mmvp(dir.File("mmvp"));
        var predictions = Write(dir, "answers.jsonl", """
            {"id": "1", "answer": "(a)"}
            {"id": 2, "answer": "b"}
            {"id": "3", "answer": "B."}

            {"id": "4", "answer": "(b) Closed"}
            """);
        var result = Score("mmvp", dir.File("mmvp"), null, predictions);
        Assert.That((double)result["overall"]!, Is.EqualTo(0.75));
        Assert.That((int)result["count"]!, Is.EqualTo(4));
        Assert.That((int)result["missing"]!, Is.EqualTo(4));
        Assert.That((double)result["pair_accuracy"]!["score"]!, Is.EqualTo(0.5));
        Assert.That((int)result["pair_accuracy"]!["pairs"]!, Is.EqualTo(2));
    }

    [TestCase("chartqa", "answers.jsonl", "{\"id\": \"human-0\", \"answer\": \"24.5\"}\n{\"id\": \"augmented-0\" \"answer\": \"112\"}\n", 2, "not valid JSON", TestName = "JSONL: malformed line")]
    [TestCase("chartqa", "answers.jsonl", "{\"id\": \"human-0\", \"answer\": \"24.5\"}\n\n{\"id\": \"human-7\", \"answer\": \"3\"}\n", 3, "id 'human-7' is not a sample of chartqa split 'test'", TestName = "JSONL: unknown id")]
    [TestCase("chartqa", "answers.jsonl", "{\"id\": \"human-0\", \"answer\": 24.5}\n", 1, "'answer' must be a string", TestName = "JSONL: answer not a string")]
    [TestCase("chartqa", "answers.jsonl", "{\"answer\": \"24.5\"}\n", 1, "'id' is missing", TestName = "JSONL: id missing")]
    [TestCase("chartqa", "answers.jsonl", "{\"id\": \"human-0\", \"answer\": \"1\"}\n{\"id\": \"human-0\", \"answer\": \"2\"}\n", 2, "id 'human-0' is predicted twice (first on line 1)", TestName = "JSONL: repeated id")]
    [TestCase("vqav2", "results.json", "[\n  {\"question_id\": 4201, \"answer\": \"black\"},\n  {\"question_id\": 4202 \"answer\": \"2\"}\n]\n", 3, "not valid JSON", TestName = "VQAv2: malformed JSON")]
    [TestCase("vqav2", "results.json", "[\n  {\"question_id\": 4201, \"answer\": \"black\"},\n  {\"question_id\": 999, \"answer\": \"2\"}\n]\n", 3, "id '999' is not a sample of vqav2 split 'val2014'", TestName = "VQAv2: unknown question id")]
    [TestCase("vqav2", "results.json", "[\n  {\"question_id\": 4201,\n   \"answer\": \"black\"},\n  {\"question_id\": \"4202\", \"answer\": \"2\"}\n]\n", 4, "question_id must be an integer", TestName = "VQAv2: question_id not an integer")]
    [TestCase("vqav2", "results.json", "{\"question_id\": 4201, \"answer\": \"black\"}\n", 1, "must be a JSON array", TestName = "VQAv2: not an array")]
    [TestCase("vqav2", "results.json", "[\n  {\"question_id\": 4201}\n]\n", 2, "answer is missing", TestName = "VQAv2: answer missing")]
    public void BadPredictionsNameFileAndLine(string format, string name, string content, int line, string message)
    {
        using var dir = new TempDir("harness-score-bad");
        var root = dir.File(format);
        if (format == "vqav2") DatasetFixtures.VqaV2(root);
        else DatasetFixtures.ChartQa(root);
        var path = Write(dir, name, content);
        var (code, output, error) = HarnessFixture.Cli("score", "--format", format, "--root", root, "--predictions", path);
        Assert.That(code, Is.EqualTo(2), output + error);
        Assert.That(output, Is.Empty, "no scores are printed");
        var lines = error.TrimEnd().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith($"error: {path}:{line}: ").And.Contain(message));
    }

    [Test]
    public void MissingPredictionsFileIsAnInputError()
    {
        using var dir = new TempDir("harness-score-bad");
        DatasetFixtures.ChartQa(dir.File("chartqa"));
        var (code, _, error) = HarnessFixture.Cli("score", "--format", "chartqa", "--root", dir.File("chartqa"), "--predictions", dir.File("absent.jsonl"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"predictions file '{dir.File("absent.jsonl")}' does not exist"));
    }

    private static string Write(TempDir dir, string name, string content)
    {
        var path = dir.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private static JsonObject Score(string format, string root, string? split, string predictions)
    {
        string[] args = ["score", "--format", format, "--root", root, "--predictions", predictions];
        if (split is not null) args = [.. args, "--split", split];
        var output = HarnessFixture.CliOk(args);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.That((string?)result["format"], Is.EqualTo(format));
        return result;
    }

    private static Dictionary<string, (double Score, int Count)> PerType(JsonObject result) =>
        result["per_type"]!.AsObject().ToDictionary(kv => kv.Key, kv => ((double)kv.Value!["score"]!, (int)kv.Value["count"]!));
}
