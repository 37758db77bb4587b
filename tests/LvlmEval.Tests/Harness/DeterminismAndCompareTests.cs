using System.Text.Json.Nodes;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>Same experiment and seed → identical Parquet values; compare sees no change there, and flags a changed model (failing only on what got worse).</summary>
public sealed class DeterminismAndCompareTests
{
    [Test]
    public void SameSeedGivesIdenticalValuesAndCompareFlagsOnlyRealChanges()
    {
        using var dir = new TempDir("harness-determinism");
        var yaml = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 4, chunk: 3));
        string first = dir.File("first"), second = dir.File("second");
        HarnessFixture.CliOk("run", yaml, "--out", first);
        HarnessFixture.CliOk("run", yaml, "--out", second, "--threads", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var a = HarnessFixture.Read(first);
        RunTables.Of(a).AssertEqual(RunTables.Of(HarnessFixture.Read(second)), "two runs with the same seed");
        Assert.That(a.Scores, Is.Not.Empty);

        var (code, output, _) = HarnessFixture.Cli("compare", first, second, "--fail-on-regression", "--json", dir.File("same.json"));
        Assert.That(code, Is.EqualTo(0), output);
        var same = JsonNode.Parse(File.ReadAllText(dir.File("same.json")))!.AsArray();
        Assert.That(same.Select(c => (double)c!["delta"]!), Is.All.EqualTo(0.0));
        Assert.That(same.Select(c => (bool)c!["flagged"]!), Is.All.False);

        // A different seed changes only the seeded explainer's maps, not the gradient explainer's.
        var reseeded = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 4, chunk: 3, seed: 8), "reseeded.yaml");
        HarnessFixture.CliOk("run", reseeded, "--out", dir.File("reseeded"));
        var r = HarnessFixture.Read(dir.File("reseeded"));
        Assert.That(r.Maps.Where(m => m.Explainer == "test-gradient").Select(m => m.Values), Is.EqualTo(a.Maps.Where(m => m.Explainer == "test-gradient").Select(m => m.Values)));
        Assert.That(r.Maps.Where(m => m.Explainer == "test-random").Select(m => m.Values), Is.Not.EqualTo(a.Maps.Where(m => m.Explainer == "test-random").Select(m => m.Values)));

        // Model B swapped for a differently initialised copy: its scores move, so compare flags them and fails.
        using var other = new TempDir("harness-other-model");
        HarnessModel.Write(other.File("tiny-b"), seed: 5);
        var changed = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 4, chunk: 3, modelB: other.File("tiny-b")), "changed.yaml");
        HarnessFixture.CliOk("run", changed, "--out", dir.File("changed"));
        (code, output, _) = HarnessFixture.Cli("compare", first, dir.File("changed"), "--tolerance", "0", "--fail-on-regression", "--json", dir.File("changed.json"));
        var changes = JsonNode.Parse(File.ReadAllText(dir.File("changed.json")))!.AsArray();
        Assert.That(changes.Where(c => (string)c!["model"]! == "tiny-a").Select(c => (bool)c!["flagged"]!), Is.All.False);
        Assert.That(changes.Where(c => (string)c!["model"]! == "tiny-b").Any(c => (bool)c!["flagged"]!), Is.True);
        // --fail-on-regression fails on what got worse or moved without a better side, not on improvements.
        bool failing = changes.Any(c => (string)c!["flag"]! is "regression" or "changed" or "removed" or "samples_lost");
        Assert.That(code, Is.EqualTo(failing ? 1 : 0), output);
        // The reported delta is the paired mean difference, checked by hand from the rows.
        var blankA = a.Scores.Where(s => s.Model == "tiny-a" && s.Metric == "reliance_blank_logprob_delta").ToDictionary(s => s.SampleId, s => s.Value);
        var entry = changes.Single(c => (string)c!["model"]! == "tiny-a" && (string)c!["metric"]! == "reliance_blank_logprob_delta")!;
        Assert.That((double)entry["mean_a"]!, Is.EqualTo(blankA.Values.Average()).Within(1e-12));
    }

    [Test]
    public void SampleWorkersChangeNeitherValuesNorParts()
    {
        using var dir = new TempDir("harness-workers");
        var yaml = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 5, chunk: 2));
        string one = dir.File("one"), three = dir.File("three"), auto = dir.File("auto");
        // Sample workers run single-threaded kernels; one worker with one thread is the same computation. (A threaded
        // OpenBLAS product rounds differently in the last bits, so --threads N with one worker is not compared here.)
        HarnessFixture.CliOk("run", yaml, "--out", one, "--workers", "1", "--threads", "1");
        HarnessFixture.CliOk("run", yaml, "--out", three, "--workers", "3");
        HarnessFixture.CliOk("run", yaml, "--out", auto);
        var reference = RunTables.Of(HarnessFixture.Read(one));
        reference.AssertEqual(RunTables.Of(HarnessFixture.Read(three)), "three samples at once against one");
        reference.AssertEqual(RunTables.Of(HarnessFixture.Read(auto)), "the default worker count against one");
        // Results come back in sample order, so even the chunk boundaries (which part file holds a row) are the same.
        foreach (var table in new[] { "samples", "scores", "maps" })
            Assert.That(PartFiles(three, table), Is.EqualTo(PartFiles(one, table)), table);
        int Workers(string run) => (int)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")))!["timing"]!["workers"]!;
        Assert.That((Workers(one), Workers(three), Workers(auto)), Is.EqualTo((1, 3, Environment.ProcessorCount)), "small models default to one worker per core");
    }

    private static List<(string Name, long Rows)> PartFiles(string run, string table) =>
        Directory.GetFiles(Path.Combine(run, table), "*.parquet").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), LvlmEval.Results.ParquetRecords.CountRows(f))).ToList();
}
