using System.Text.Json.Nodes;
using LvlmEval.Results;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>run</c> and <c>explain</c> are one sample path: a run of the shipped Shapes model over a one-sample dataset records
/// the sample's seed, and <c>explain</c> on the same image and prompt with that seed, the run's token limit and template
/// gives the run's answer and bit-identical maps for the seeded explainers (RISE's random masks, the random map) — the
/// run's Parquet tables are the truth the document is checked against.
/// </summary>
public sealed class RunExplainAgreementTests
{
    private static string ShapesModel => Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");

    [Test]
    public void ExplainWithTheRunsSeedReproducesTheRunsMaps()
    {
        using var dir = new TempDir("run-explain-agreement");
        var yaml = HarnessFixture.WriteYaml(dir, $"""
            name: run-explain-agreement
            seed: 11
            generation:
              max_new_tokens: 3
            models:
              - path: '{ShapesModel}'
            datasets:
              - name: scenes
                format: shapes
                split: test
                limit: 1
            explainers:
              - rise
              - random
            """);
        string run = dir.File("run");
        // One sample worker keeps the kernels on every core, as in explain: the kernels' thread count sets the order of
        // float sums, so a run with several workers (single-threaded kernels) may differ in the last bit.
        HarnessFixture.CliOk("run", yaml, "--out", run, "--workers", "1");
        var results = HarnessFixture.Read(run);
        var sample = results.Samples.Single();
        Assert.That(sample.Seed, Is.Not.Null, "the samples table records the sample's seed");
        Assert.That(results.Errors, Is.Empty);

        var record = LvlmEval.Datasets.DatasetReader.Read(LvlmEval.Datasets.DatasetRegistry.All.Create("shapes"),
            new LvlmEval.Datasets.DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;
        Assert.That(record.Id, Is.EqualTo(sample.SampleId));
        string image = dir.File("scene.png"), outDir = dir.File("explained");
        record.Image.Load().Save(image);
        HarnessFixture.CliOk("explain", "--model", ShapesModel, "--image", image, "--prompt", record.Prompt, "--max-new-tokens", "3",
            "--seed", sample.Seed!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--explainer", "rise", "random", "--out", outDir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "explanation.json")))!;

        Assert.That((string?)json["answer"], Is.EqualTo(sample.Answer), "the run's answer");
        Assert.That(json["answer_token_ids"]!.ToJsonString(), Is.EqualTo(sample.AnswerTokenIds), "the run's answer ids");
        Assert.That((int)json["seed"]!, Is.EqualTo(sample.Seed), "explanation.json records the seed it drew from");
        foreach (var explainer in new[] { "rise", "random" })
        {
            var entry = json["explainers"]![explainer]!;
            var runMaps = results.Maps.Where(m => m.Explainer == explainer).ToDictionary(m => m.TokenIndex);
            var tokens = entry["tokens"]!.AsArray();
            Assert.That(runMaps.Keys.Order(), Is.EqualTo(Enumerable.Range(-1, tokens.Count + 1)), $"{explainer}: one run map per answer token and the sequence");
            foreach (var token in tokens)
                AssertSameMap(runMaps[(int)token!["index"]!], token["map"]!, $"{explainer} token {(int)token["index"]!}");
            AssertSameMap(runMaps[-1], entry["sequence_map"]!, $"{explainer} sequence");
        }
    }

    // Bit for bit: explanation.json writes each float32 cell in its shortest round-trip form, which parses back to the same float.
    private static void AssertSameMap(MapRecord run, JsonNode grid, string what)
    {
        var rows = grid.AsArray();
        Assert.That(rows, Has.Count.EqualTo(run.GridHeight), what);
        var values = rows.SelectMany(r => r!.AsArray().Select(v => v is null ? float.NaN : (float)v)).ToArray();
        Assert.That(values.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(run.Values.Select(BitConverter.SingleToInt32Bits)), what);
    }
}
