using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Harness.Cli;
using LvlmEval.Metrics.Task;
using LvlmEval.Tests.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Metrics;

/// <summary>POPE's parsing and summary against a transcription of its evaluate.py, on a hand-made table of answers.</summary>
public sealed class PopeScoringTests
{
    // Answers chosen to hit every branch of the script: first-sentence cut, commas, the three negative words, case,
    // "NO"/"Nope" (read as yes by the script), "not" inside a later sentence (ignored), empty answers.
    private static readonly (string Answer, string Label)[] Table =
    [
        ("Yes", "yes"), ("No", "no"), ("no", "yes"), ("Yes, there is a dog.", "yes"), ("There is no dog.", "no"),
        ("I do not see one", "no"), ("NO", "no"), ("Nope", "no"), ("Yes. But it is not clear.", "yes"), ("No, there isn't.", "yes"),
        ("yes,no", "no"), ("", "no"), ("The answer is no", "yes"), ("Not sure.", "no"), ("A cat, not a dog", "yes"),
    ];

    [Test]
    public void SummaryMatchesTheTranscribedScript()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("answers.jsonl"), Table.Select(t => JsonSerializer.Serialize(new { answer = t.Answer })));
        File.WriteAllLines(dir.File("labels.jsonl"), Table.Select(t => JsonSerializer.Serialize(new { label = t.Label })));
        var oracle = PythonOracle.Run("pope_evaluate_oracle.py", dir.File("answers.jsonl"), dir.File("labels.jsonl")).Trim().Split(' ');
        var scores = PopeScores.From(Table.Select(t => (t.Answer, t.Label)));
        Assert.That(new[] { scores.TruePositives, scores.FalsePositives, scores.TrueNegatives, scores.FalseNegatives },
            Is.EqualTo(oracle[..4].Select(int.Parse).ToArray()));
        var expected = oracle[4..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.That(new[] { scores.Accuracy, scores.Precision, scores.Recall, scores.F1, scores.YesRatio }, Is.EqualTo(expected).Within(1e-12));
    }

    [TestCase("Nope", "yes")]
    [TestCase("NO", "yes")]
    [TestCase("Yes. It is not.", "yes")]
    [TestCase("not", "no")]
    [TestCase("No.", "no")]
    [TestCase("no,", "no")]
    public void ParsingFollowsTheScriptWordForWord(string answer, string parsed) => Assert.That(PopeAnswer.Parse(answer), Is.EqualTo(parsed));

    [Test]
    public void ScoreCommandReportsPopeMetricsOverallAndPerStrategy()
    {
        using var dir = new TempDir();
        HubFixtures.PopeOriginal(dir.Path);
        // Predictions for every sample of the fixture: ids are {strategy}-{question_id}.
        var predictions = new Dictionary<string, string>
        {
            ["random-1"] = "Yes", ["random-2"] = "Yes, a dog.", ["random-3"] = "There is no cat.",
            ["popular-1"] = "yes", ["popular-2"] = "No",
            ["adversarial-1"] = "No.", ["adversarial-2"] = "no", ["adversarial-3"] = "I think so",
        };
        File.WriteAllLines(dir.File("answers.jsonl"), predictions.Select(p => JsonSerializer.Serialize(new { id = p.Key, answer = p.Value })));
        var result = ScoreCommand.Score("pope", dir.Path, null, dir.File("answers.jsonl"));
        var labels = new Dictionary<string, string>
        {
            ["random-1"] = "yes", ["random-2"] = "no", ["random-3"] = "yes", ["popular-1"] = "yes", ["popular-2"] = "no",
            ["adversarial-1"] = "yes", ["adversarial-2"] = "no", ["adversarial-3"] = "no",
        };
        void Check(JsonNode node, IEnumerable<string> ids)
        {
            using var d = new TempDir();
            var list = ids.ToList();
            File.WriteAllLines(d.File("a.jsonl"), list.Select(id => JsonSerializer.Serialize(new { answer = predictions[id] })));
            File.WriteAllLines(d.File("l.jsonl"), list.Select(id => JsonSerializer.Serialize(new { label = labels[id] })));
            var o = PythonOracle.Run("pope_evaluate_oracle.py", d.File("a.jsonl"), d.File("l.jsonl")).Trim().Split(' ');
            double? Num(string s) => s == "nan" ? null : double.Parse(s, CultureInfo.InvariantCulture);
            Assert.That((int)node["tp"]!, Is.EqualTo(int.Parse(o[0])));
            Assert.That((int)node["fn"]!, Is.EqualTo(int.Parse(o[3])));
            Assert.That((double?)node["accuracy"], Is.EqualTo(Num(o[4])).Within(1e-12));
            Assert.That((double?)node["precision"], Is.EqualTo(Num(o[5])).Within(1e-12));
            Assert.That((double?)node["recall"], Is.EqualTo(Num(o[6])).Within(1e-12));
            Assert.That((double?)node["f1"], Is.EqualTo(Num(o[7])).Within(1e-12));
            Assert.That((double?)node["yes_ratio"], Is.EqualTo(Num(o[8])).Within(1e-12));
        }
        Check(result["pope"]!["overall"]!, predictions.Keys);
        foreach (var strategy in new[] { "random", "popular", "adversarial" })
            Check(result["pope"]!["per_split"]![strategy]!, predictions.Keys.Where(k => k.StartsWith(strategy + "-")));
        Assert.That((string?)result["scorer"], Is.EqualTo("pope-accuracy"));
    }
}
